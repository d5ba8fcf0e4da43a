using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Splicer.Access;
using Splicer.Admin;
using Splicer.Admin.Api;
using Splicer.Admin.Hosting;
using Splicer.Governance;
using Splicer.Governance.Entry;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Host;

/// <summary>
/// The built <c>splicer</c> program as the owner runs it on the box: <c>splicer serve</c> in one process,
/// the door, identity and audit verbs in others, talking to its admin API over HTTP.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class CliTests(CliTests.Server server) : IClassFixture<CliTests.Server>
{
    private const string Token = "cli-test-bearer-token-0123";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Door_open_list_and_close_go_through_the_admin_and_the_audit_log_names_the_cli()
    {
        var opened = await server.RunOkAsync("door", "open", "--duration", "30m", "--from", "203.0.113.0/24", "--max-sessions", "4", "--max-bytes", "2G", "--json");
        var door = JsonSerializer.Deserialize<OpenDoorAnswer>(opened, Json)!.Door;
        Assert.Equal(("address", "203.0.113.0/24", 4L, 2L << 30), (door.Kind, door.AddressPrefix, door.MaxSessions!.Value, door.MaxBytes!.Value));

        var listed = JsonSerializer.Deserialize<DoorView[]>(await server.RunOkAsync("door", "list", "--json"), Json)!;
        Assert.Contains(listed, shown => shown.Id == door.Id && shown.State == "open" && shown.RemainingSeconds is > 1700 and <= 1800);
        var table = await server.RunOkAsync("door", "list");
        Assert.Matches($@"(?m)^{door.Id}\s+address\s+from 203\.0\.113\.0/24\s+from 203\.0\.113\.0/24\s+0\s+0 B\s+4 of 4 sessions, 2 GiB of 2 GiB\s+open\s+(29m|30m) \d+s$", table);

        var closed = await server.RunOkAsync("door", "close", door.Id.ToString(), "--reason", "done for today");
        Assert.Contains($"Door {door.Id} is closed (done for today)", closed);
        Assert.DoesNotContain(JsonSerializer.Deserialize<DoorView[]>(await server.RunOkAsync("door", "list", "--json"), Json)!, shown => shown.Id == door.Id);
        Assert.Contains(JsonSerializer.Deserialize<DoorView[]>(await server.RunOkAsync("door", "list", "--all", "--json"), Json)!,
            shown => shown.Id == door.Id && shown.State == "closed" && shown.CloseReason == "done for today");

        var audit = JsonSerializer.Deserialize<AuditPage>(await server.RunOkAsync("audit", "list", "--limit", "500", "--json"), Json)!;
        var open = Assert.Single(audit.Entries, entry => entry.Action == "door.open" && entry.Detail.Contains($"door {door.Id} "));
        var close = Assert.Single(audit.Entries, entry => entry.Action == "door.close" && entry.Detail == $"door {door.Id}: done for today");
        Assert.Equal(("cli", "cli"), (open.Actor, close.Actor));
        Assert.True(close.Id > open.Id);
    }

    [Fact]
    public async Task Key_rotate_makes_a_new_box_key_keeps_the_old_one_trusted_and_is_audited()
    {
        var before = JsonSerializer.Deserialize<BoxKeyView>(await server.RunOkAsync("key", "show", "--json"), Json)!;

        var after = JsonSerializer.Deserialize<BoxKeyView>(await server.RunOkAsync("key", "rotate", "--json"), Json)!;

        Assert.NotEqual(before.Current, after.Current);
        Assert.Contains(before.Current, after.Retired);
        Assert.Matches($@"(?m)^current\s+{Regex.Escape(after.Current)}$", await server.RunOkAsync("key", "show"));
        var audit = JsonSerializer.Deserialize<AuditPage>(await server.RunOkAsync("audit", "list", "--limit", "500", "--json"), Json)!;
        Assert.Contains(audit.Entries, entry => entry.Action == "key.rotate" && entry.Actor == "cli" && entry.Detail.StartsWith(before.Current));
    }

    [Fact]
    public async Task An_invite_door_prints_its_invite_for_the_person()
    {
        var output = await server.RunOkAsync("door", "open", "-d", "2h", "--uses", "3", "--name", "for Ada", "--invite-address", "relay.example.net:4001");

        Assert.Matches(@"^Opened door \d+ \(invite, 'for Ada'\) invite 0/3 until ", output);
        var line = output.Split('\n').Single(text => text.StartsWith(InviteCode.Prefix, StringComparison.Ordinal));
        Assert.True(InviteCode.TryParse(line.Trim(), out var invite));
        Assert.Equal(["relay.example.net:4001"], invite!.Addresses);
    }

    [Fact]
    public async Task Identity_list_disable_and_delete_change_the_store_and_say_so()
    {
        var added = JsonSerializer.Deserialize<IdentityView>(await server.RunOkAsync("identity", "add", "grace", "--json"), Json)!;
        var id = added.Id.ToString();

        Assert.Matches($@"(?m)^{id}\s+grace\s+enabled\s+-\s+0\s+0 B\s+never\s+-$", await server.RunOkAsync("identity", "list"));
        Assert.Equal($"Identity {id} is disabled.", (await server.RunOkAsync("identity", "disable", id)).Trim());
        var listed = JsonSerializer.Deserialize<IdentityView[]>(await server.RunOkAsync("identity", "list", "--json"), Json)!;
        Assert.True(Assert.Single(listed, identity => identity.Id == added.Id).Disabled);
        Assert.Equal($"Deleted identity {id}.", (await server.RunOkAsync("identity", "delete", id)).Trim());
        Assert.DoesNotContain(JsonSerializer.Deserialize<IdentityView[]>(await server.RunOkAsync("identity", "list", "--json"), Json)!, identity => identity.Id == added.Id);

        var audit = JsonSerializer.Deserialize<AuditPage>(await server.RunOkAsync("audit", "list", "--limit", "500", "--json"), Json)!;
        Assert.Equal(["identity.delete", "identity.disable", "identity.add"],
            audit.Entries.Where(entry => entry.Detail.StartsWith($"identity {id}", StringComparison.Ordinal)).Select(entry => entry.Action));
    }

    [Fact]
    public async Task Identity_and_door_quotas_are_set_and_cleared_with_sizes()
    {
        var added = JsonSerializer.Deserialize<IdentityView>(await server.RunOkAsync("identity", "add", "lin", "--json"), Json)!;
        var id = added.Id.ToString();

        Assert.Equal($"The identity {id} may use: 5 GiB a day, 2 sessions at once, 2 MiB/s.",
            (await server.RunOkAsync("identity", "quota", id, "--day", "5G", "--sessions", "2", "--rate", "2M")).Trim());
        var listed = JsonSerializer.Deserialize<IdentityView[]>(await server.RunOkAsync("identity", "list", "--json"), Json)!;
        Assert.Equal(new QuotaView(BytesPerDay: 5L << 30, Sessions: 2, BytesPerSecond: 2L << 20), Assert.Single(listed, identity => identity.Id == added.Id).Quota);
        Assert.Equal($"The identity {id} has no quota now.", (await server.RunOkAsync("identity", "quota", id)).Trim());

        var door = JsonSerializer.Deserialize<OpenDoorAnswer>(await server.RunOkAsync("door", "open", "--duration", "1h", "--json"), Json)!.Door;
        var answer = JsonSerializer.Deserialize<DoorView>(await server.RunOkAsync("door", "quota", door.Id.ToString(), "--month", "100G", "--json"), Json)!;
        Assert.Equal(new QuotaView(BytesPerMonth: 100L << 30), answer.Quota);
        Assert.Equal(2, (await server.RunAsync(["door", "quota", door.Id.ToString(), "--rate", "lots"])).Exit);
    }

    [Fact]
    public async Task The_token_can_come_from_the_environment_and_a_wrong_one_fails_with_exit_code_1()
    {
        var fromEnvironment = await server.RunAsync(["door", "list", "--json"], token: null, environment: new() { ["SPLICER_ADMIN_TOKEN"] = Token });
        var wrong = await server.RunAsync(["door", "list"], token: "not-the-token-at-all");
        var wrongFromEnvironment = await server.RunAsync(["door", "list"], token: null, environment: new() { ["SPLICER_ADMIN_TOKEN"] = "not-the-token-at-all" });
        var none = await server.RunAsync(["door", "list"], token: null);

        Assert.Equal(0, fromEnvironment.Exit);
        Assert.Equal((1, 1, 1), (wrong.Exit, wrongFromEnvironment.Exit, none.Exit));
        Assert.Contains("refused the credential from --token: the admin token is wrong", wrong.Error);
        Assert.Contains("refused the credential from $SPLICER_ADMIN_TOKEN: the admin token is wrong", wrongFromEnvironment.Error);
        Assert.Contains("wants a credential (no admin token was sent): pass --token-file FILE", none.Error);
        Assert.DoesNotContain("not-the-token-at-all", wrong.Error);
    }

    [Fact]
    public async Task The_token_can_come_from_a_file_named_by_option_or_environment_and_a_shared_file_is_refused()
    {
        var byOption = await server.RunAsync(["door", "list", "--token-file", server.TokenFile], token: null);
        var byEnvironment = await server.RunAsync(["door", "list"], token: null, environment: new() { ["SPLICER_ADMIN_TOKEN_FILE"] = server.TokenFile });
        var shared = Path.Combine(Path.GetDirectoryName(server.TokenFile)!, "shared-token");
        File.WriteAllText(shared, Token);
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = await server.RunAsync(["door", "list", "--token-file", shared], token: null);

        Assert.Equal((0, 0), (byOption.Exit, byEnvironment.Exit));
        Assert.Equal(2, refused.Exit);
        Assert.Contains($"--token-file '{shared}' may be read or changed by its group or others", refused.Error);
    }

    [Theory]
    [InlineData(1, "no door 4242", "door", "close", "4242")]
    [InlineData(1, "no identity 4242", "identity", "disable", "4242")]
    [InlineData(2, "Option '--duration' is required", "door", "open")]
    [InlineData(2, "--duration must be like 30m", "door", "open", "--duration", "soon")]
    [InlineData(2, "--from must be an IP address or a prefix", "door", "open", "-d", "1h", "--from", "example.net")]
    [InlineData(2, "--max-bytes must be a size", "door", "open", "-d", "1h", "--max-bytes", "lots")]
    [InlineData(2, "belong to invite doors", "door", "open", "-d", "1h", "--from", "10.0.0.0/8", "--uses", "2")]
    [InlineData(2, "ID must be a positive number", "door", "close", "0")]
    [InlineData(2, "Required command was not provided", "door")]
    [InlineData(2, "Unrecognized command or argument 'window'", "door", "window")]
    [InlineData(2, "Required argument 'ID' missing", "identity", "delete")]
    [InlineData(2, "--protocol must be pcp, nat-pmp or upnp", "map", "--protocol", "igd")]
    [InlineData(2, "--lifetime must be a duration of 1s or more", "map", "--lifetime", "0s")]
    [InlineData(2, "--gateway must be an IP address", "map", "--gateway", "router.lan")]
    public async Task Failures_exit_1_and_usage_errors_exit_2_with_the_reason_on_stderr(int exit, string reason, params string[] args)
    {
        var result = await server.RunAsync(args);

        Assert.True(exit == result.Exit, $"exit {result.Exit}: {result.Output}{result.Error}");
        Assert.Contains(reason, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task An_admin_that_cannot_be_reached_is_a_failure()
    {
        var result = await server.RunAsync(["door", "list"], admin: $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(1, result.Exit);
        Assert.Contains("cannot reach the admin", result.Error);
    }

    [Theory]
    [InlineData]
    [InlineData("serve")]
    [InlineData("door")]
    [InlineData("door", "open")]
    [InlineData("door", "close")]
    [InlineData("door", "list")]
    [InlineData("identity")]
    [InlineData("identity", "list")]
    [InlineData("identity", "add")]
    [InlineData("identity", "disable")]
    [InlineData("identity", "enable")]
    [InlineData("identity", "delete")]
    [InlineData("identity", "quota")]
    [InlineData("door", "quota")]
    [InlineData("audit")]
    [InlineData("audit", "list")]
    [InlineData("join")]
    [InlineData("code")]
    [InlineData("pipe")]
    [InlineData("send")]
    [InlineData("receive")]
    [InlineData("expose")]
    [InlineData("connect")]
    [InlineData("map")]
    public async Task Every_verb_has_help_with_an_example(params string[] verb)
    {
        var result = await server.RunAsync([.. verb, "--help"], admin: null, token: null);

        Assert.Equal(0, result.Exit);
        Assert.Matches(@"Examples?:\n\s+splicer ", result.Output);
        Assert.Contains("Usage:", result.Output);
    }

    [Fact]
    public async Task Serve_runs_the_relay_with_configuration_arguments_and_stops_on_SIGTERM()
    {
        var state = Directory.CreateTempSubdirectory("splicer-cli-serve-");
        try
        {
            await using var splicer = SplicerProgram.Start(
                ["serve", "--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Splicer:StateDirectory={state.FullName}"]);
            await splicer.WaitForLineAsync(line => line.Contains("Splice listener bound to"));
            await splicer.WaitForLineAsync(line => line.Contains("Now listening on: http://127.0.0.1:"));
            await splicer.WaitForLineAsync(line => line.Contains("Application started"));

            await splicer.TerminateAsync();

            Assert.Equal(0, await splicer.WaitForExitAsync());
            Assert.True(File.Exists(Path.Combine(state.FullName, "splicer.db")));
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_with_bad_configuration_still_exits_2_naming_the_key()
    {
        await using var splicer = SplicerProgram.Start(["serve", "--Splicer:Port=70000", "--Admin:Url=http://127.0.0.1:0"]);

        Assert.Equal(2, await splicer.WaitForExitAsync());
        Assert.Contains("Splicer:Port must be between 0 and 65535", splicer.Output);
    }

    /// <summary>One <c>splicer serve</c> with a bearer token and a state directory of its own, for the whole class.</summary>
    public sealed partial class Server : IAsyncLifetime
    {
        private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("splicer-cli-");
        private ExternalProcess? _process;

        public string AdminUrl { get; private set; } = "";

        /// <summary>The owner-only file the server reads its token from (as a box should: not on its command line).</summary>
        public string TokenFile => Path.Combine(_state.FullName, "admin-token");

        public async Task InitializeAsync()
        {
            File.WriteAllText(TokenFile, Token + "\n");
            File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            _process = SplicerProgram.Start(
            [
                "serve", "--Splicer:Port=0", "--Admin:Url=http://127.0.0.1:0", $"--Admin:BearerTokenFile={TokenFile}",
                $"--Splicer:StateDirectory={_state.FullName}",
            ]);
            var listening = await _process.WaitForLineAsync(line => line.Contains("Now listening on: http://127.0.0.1:"));
            AdminUrl = ListeningUrl().Match(listening).Value;
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.TerminateAsync();
                await _process.WaitForExitAsync();
                await _process.DisposeAsync();
            }

            _state.Delete(recursive: true);
        }

        public async Task<string> RunOkAsync(params string[] args)
        {
            var result = await RunAsync(args);
            Assert.True(result.Exit == 0, $"splicer {string.Join(' ', args)}: exit {result.Exit}: {result.Error}");
            return result.Output;
        }

        /// <summary>Runs the built program with <paramref name="args"/>, plus <c>--admin</c> and <c>--token</c> when given.</summary>
        public async Task<(int Exit, string Output, string Error)> RunAsync(
            string[] args, string? admin = "", string? token = Token, Dictionary<string, string?>? environment = null)
        {
            var info = SplicerProgram.StartInfo(args);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.WorkingDirectory = AppContext.BaseDirectory;

            // Options after the verb; --help alone stays alone.
            if (admin is not null)
            {
                info.ArgumentList.Add("--admin");
                info.ArgumentList.Add(admin.Length == 0 ? AdminUrl : admin);
            }

            if (token is not null)
            {
                info.ArgumentList.Add("--token");
                info.ArgumentList.Add(token);
            }

            info.Environment.Remove("SPLICER_ADMIN_TOKEN");
            info.Environment.Remove("SPLICER_ADMIN_TOKEN_FILE");
            info.Environment.Remove("SPLICER_ADMIN_PASSWORD");
            foreach (var (name, value) in environment ?? [])
            {
                info.Environment[name] = value;
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WithPatience();
            return (process.ExitCode, await output, await error);
        }

        [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
        private static partial Regex ListeningUrl();
    }
}
