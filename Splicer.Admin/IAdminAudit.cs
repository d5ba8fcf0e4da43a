using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>
/// Records in the audit log what the owner does outside the state store (a system update, a reboot);
/// the engine implements it over its audit log.
/// </summary>
public interface IAdminAudit
{
    Task AppendAsync(string actor, string action, string detail, CancellationToken cancellationToken);
}
