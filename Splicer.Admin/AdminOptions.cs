namespace Splicer.Admin;

/// <summary>The admin HTTP server's settings, bound from the <c>Admin</c> configuration section.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string Url { get; set; } = "http://127.0.0.1:8080";
}
