namespace Splicer.Client.Paths.DirectLeg;

/// <summary>This side's part in birthday probing (<see cref="BirthdayProbing"/>).</summary>
public enum BirthdayRole
{
    /// <summary>Both NATs keep ports (the plain punch does it), or both change them (nothing can be predicted).</summary>
    None,

    /// <summary>Behind the port-changing NAT: many connections to the partner's one endpoint, each from its own port.</summary>
    Spray,

    /// <summary>Behind the NAT that keeps ports: many SYNs from the relay connection's port to random ports of the partner.</summary>
    Probe,
}
