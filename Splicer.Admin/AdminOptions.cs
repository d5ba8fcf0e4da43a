using Splicer.Admin.Hosting;

namespace Splicer.Admin;

/// <summary>The admin HTTP server's settings, bound from the <c>Admin</c> configuration section.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Host names the admin answers besides loopback and the host of <see cref="Url"/> (and, when it
    /// listens on every address, this machine's own addresses): names, <c>*.example.net</c>, IP addresses.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>When set, the UI and API ask for it by HTTP Basic authentication (any user name).</summary>
    public string? Password { get; set; }

    /// <summary>When set, the UI and API accept <c>Authorization: Bearer</c> with it (scripts, Prometheus).</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// A file holding <see cref="BearerToken"/> (one line, owner-only), read once at start-up: the token
    /// stays off the command line and out of the environment. Not with <see cref="BearerToken"/>.
    /// </summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>Why <see cref="BearerTokenFile"/> could not be used, for the start-up validation; null when it could.</summary>
    internal string? BearerTokenFileProblem { get; set; }

    internal bool BearerTokenFileRead { get; set; }

    /// <summary>How many ended sessions the admin keeps in memory to show.</summary>
    public int RecentSessions { get; set; } = 100;

    public AdminMetricsOptions Metrics { get; set; } = new();

    public AdminUpdateOptions Update { get; set; } = new();

    public bool HasCredential => !string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(BearerToken);
}

public sealed class AdminMetricsOptions
{
    /// <summary>Serve <c>/metrics</c> and keep the Prometheus collectors up to date.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether <c>/metrics</c> asks for the credential too, when one is configured.</summary>
    public bool RequireCredential { get; set; } = true;
}

/// <summary>
/// System updates from the admin (the appliance): the relay only receives the bundle and asks; a root
/// service of the image installs it with RAUC and reboots (see <c>appliance/image/splicer-update</c>).
/// </summary>
public sealed class AdminUpdateOptions
{
    public const long DefaultMaxBundleBytes = 2L << 30;

    /// <summary>Where uploads and requests are written; unset: <c>update/</c> in Splicer's state directory.</summary>
    public string? Directory { get; set; }

    /// <summary>Where the root service writes RAUC's status and the install's progress (world-readable).</summary>
    public string StatusDirectory { get; set; } = "/run/splicer-update";

    /// <summary>The largest bundle accepted.</summary>
    public long MaxBundleBytes { get; set; } = DefaultMaxBundleBytes;
}
