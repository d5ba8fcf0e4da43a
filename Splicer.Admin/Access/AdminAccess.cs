using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Access;

/// <summary>
/// Who may use the admin: anyone on loopback when no credential is configured (the validator
/// allows that only on a loopback address), else only a caller that presented the credential.
/// </summary>
internal sealed class AdminAccessRequirement(bool isMetrics) : IAuthorizationRequirement
{
    public const string AdminPolicy = "SplicerAdmin";
    public const string MetricsPolicy = "SplicerMetrics";

    public bool IsMetrics { get; } = isMetrics;
}

internal sealed class AdminAccessHandler(IOptions<AdminOptions> options) : AuthorizationHandler<AdminAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminAccessRequirement requirement)
    {
        var admin = options.Value;
        var open = !admin.HasCredential || (requirement.IsMetrics && !admin.Metrics.RequireCredential);
        if (open || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
