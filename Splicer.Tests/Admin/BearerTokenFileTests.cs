using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Splicer.Hosting;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary><c>Admin:BearerTokenFile</c>: the token read from an owner-only file at start-up, or one line saying why not.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BearerTokenFileTests : IDisposable
{
    private const string Token = "token-from-a-file-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("splicer-token-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_relay_started_with_a_token_file_accepts_that_token_and_refuses_others()
    {
        var path = Write("admin-token", $"  {Token}\n");
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerTokenFile={path}");
        using var http = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.OK, (await http.RequestAsync(HttpMethod.Get, "api/doors", AdminEndpoints.Bearer(Token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RequestAsync(HttpMethod.Get, "api/doors", AdminEndpoints.Bearer(Token + "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.RequestAsync(HttpMethod.Get, "api/doors")).StatusCode);
    }

    [Theory]
    [InlineData("missing", "cannot be read: no such file")]
    [InlineData("empty", "is empty")]
    [InlineData("two lines", "alone on one line")]
    [InlineData("group readable", "chmod 600")]
    [InlineData("short", "at least 16 characters")]
    [InlineData("relative", "must be an absolute path")]
    public async Task A_token_file_that_cannot_be_used_stops_the_start_with_one_line_naming_the_key(string kind, string reason)
    {
        var path = kind switch
        {
            "missing" => Path.Combine(_directory, "no-such-file"),
            "empty" => Write("empty", "\n"),
            "two lines" => Write("two-lines", Token + "\n" + Token + "\n"),
            "group readable" => Write("shared", Token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead),
            "short" => Write("short", "0123456789"),
            _ => "admin-token",
        };
        await using var app = SplicerHost.Build(["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Admin:BearerTokenFile={path}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync()).WithPatience();

        var message = Assert.Single(error.Failures);
        Assert.Contains("Admin:BearerTokenFile", message);
        Assert.Contains(reason, message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain(Token, message);
    }

    [Fact]
    public async Task A_token_in_the_configuration_and_a_token_file_together_are_refused()
    {
        var path = Write("admin-token", Token);
        await using var app = SplicerHost.Build(
            ["--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Admin:BearerTokenFile={path}", $"--Admin:BearerToken={Token}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync()).WithPatience();

        Assert.Contains("Admin:BearerToken and Admin:BearerTokenFile are both set", Assert.Single(error.Failures));
    }

    private string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
