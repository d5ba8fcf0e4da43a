namespace Splicer.Client.Paths.RelayLeg;

/// <summary>Which path a session's bytes may take.</summary>
public enum PathChoice
{
    /// <summary>Start on the relay; move to a direct path if a proven one comes up (joined relays only).</summary>
    Auto,

    /// <summary>Never try a direct path.</summary>
    RelayOnly,

    /// <summary>Fail unless a direct path comes up; no byte of the stream goes through the relay.</summary>
    DirectOnly,
}
