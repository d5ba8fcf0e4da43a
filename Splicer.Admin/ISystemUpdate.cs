using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>
/// The system the relay runs on, as the appliance's root update service describes it, and the owner's
/// requests to it: install an uploaded bundle, reboot. The relay never installs or reboots itself.
/// </summary>
public interface ISystemUpdate
{
    Task<SystemView> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Receives a bundle (at most the configured size) and asks for its installation.</summary>
    Task<SystemAnswer> InstallAsync(Stream bundle, long? declaredLength, string actor, CancellationToken cancellationToken);

    /// <summary>Asks for a reboot, unless an update is on its way.</summary>
    Task<SystemAnswer> RebootAsync(string actor, CancellationToken cancellationToken);
}

/// <param name="Updates">Whether this system can be updated from the admin (an appliance whose update service runs).</param>
/// <param name="Reason">Why not, when it cannot.</param>
/// <param name="ApplianceVersion">The appliance version running (the image's or bundle's stamp).</param>
/// <param name="BootedSlot">The system slot running (<c>A</c> or <c>B</c>).</param>
public sealed record SystemView(
    bool Updates,
    string? Reason,
    string SplicerVersion,
    string? ApplianceVersion,
    string? BootedSlot,
    IReadOnlyList<SlotView> Slots,
    UpdateProgressView Update,
    long MaxBundleBytes);

/// <param name="Name">The slot's boot name (<c>A</c>, <c>B</c>).</param>
/// <param name="State"><c>booted</c> or <c>inactive</c>, as RAUC says.</param>
/// <param name="BootStatus"><c>good</c> or <c>bad</c>, as the boot loader says.</param>
/// <param name="Version">The version of the bundle last installed into it; null for the one the image came with.</param>
public sealed record SlotView(string Name, string State, string? BootStatus, string? Version, bool Booted);

/// <param name="State">
/// <c>idle</c>, <c>uploading</c> (bytes arriving), <c>requested</c> (waiting for the update service),
/// <c>installing</c>, <c>installed</c> (reboot to run it) or <c>failed</c>.
/// </param>
/// <param name="Percent">RAUC's progress while installing.</param>
/// <param name="Message">RAUC's last step, or why it failed.</param>
/// <param name="BytesReceived">While uploading.</param>
public sealed record UpdateProgressView(string State, int? Percent = null, string? Message = null, long? BytesReceived = null);

/// <summary>Why a request was refused, or <see cref="Accepted"/>; each maps to one HTTP status.</summary>
public enum SystemRefusal
{
    Accepted,
    NotAnAppliance,
    Busy,
    TooLarge,
    NotABundle,
    NoRoom,
}

public sealed record SystemAnswer(SystemRefusal Refusal, string Detail)
{
    public static SystemAnswer Accept(string detail) => new(SystemRefusal.Accepted, detail);
}
