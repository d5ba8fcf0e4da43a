using Splicer.Governance.Entry;

namespace Splicer.Governance;

/// <summary>
/// What the watcher of live sessions reads: a cheap mark that moves with every change the owner makes
/// (from the admin, the CLI or another process), then the few records the live sessions depend on.
/// Declared here, implemented by the state store (<c>Splicer.State.SqliteAccessDirectory</c>).
/// </summary>
public interface IAccessChanges
{
    /// <summary>Grows with every change to identities, devices, doors or invites (the audit log's last entry).</summary>
    ValueTask<long> LastChangeAsync(CancellationToken cancellationToken);

    /// <summary>The doors among <paramref name="doorIds"/> that exist.</summary>
    ValueTask<IReadOnlyList<DoorRecord>> FindDoorsAsync(IReadOnlyCollection<long> doorIds, CancellationToken cancellationToken);

    /// <summary>The identities among <paramref name="identityIds"/> that exist (deleted ones are missing).</summary>
    ValueTask<IReadOnlyList<IdentityRecord>> FindIdentitiesAsync(IReadOnlyCollection<long> identityIds, CancellationToken cancellationToken);
}
