using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.State;

namespace Splicer.Administration;

/// <summary>The engine's side of <see cref="IAdminAudit"/>: an entry in the state store's audit log.</summary>
internal sealed class AdminAudit(AuditLog audit) : IAdminAudit
{
    public Task AppendAsync(string actor, string action, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(actor, action, detail, cancellationToken);
}
