using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Splicer.Admin.Access;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

/// <summary>Wrong credentials are slowed per source and logged as a summary.</summary>
public sealed class FailedLoginTests
{
    private const string BearerToken = "0123456789abcdef0123456789abcdef";
    private static readonly FailedLoginLimits Limits = FailedLoginLimits.Default;

    [Fact]
    public async Task After_the_free_failures_each_further_wrong_credential_waits_for_a_token()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();
        const int further = 3;

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Limits.FreeFailures + further; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await WrongTryAsync(http)).StatusCode);
        }

        // The bucket starts with the free failures and gains one token per period, the first a period
        // after the first try: however slow the machine, the further tries cannot all fit in less.
        Assert.True(clock.Elapsed >= Limits.PerFailure * (further - 1),
            $"{Limits.FreeFailures + further} wrong tries took only {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Beyond_the_queue_a_try_is_refused_unchecked_with_429_and_Retry_After()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();

        await SpendFreeFailuresAsync(http);
        var responses = await Task.WhenAll(Flood(http, Limits.QueueLimit + 30)).WithPatience();

        var refused = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, response => Assert.True(response.Headers.RetryAfter?.Delta >= Limits.PerFailure));
        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task A_right_credential_is_not_held_up_by_another_sources_failures_nor_by_its_own_once_they_are_over()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}");
        using var guesser = host.CreateAdminClient();
        using var owner = host.CreateAdminClientFrom(IPAddress.Parse("127.0.0.2"));

        await SpendFreeFailuresAsync(guesser);
        var flood = Flood(guesser, Limits.QueueLimit + 30);
        await Patience.Until(() => flood.Any(IsRefused), "the guesser's queue is full");

        var byOwner = await owner.RequestAsync(HttpMethod.Get, "api/stats", AdminEndpoints.Bearer(BearerToken));

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        // The guesser's queue drains one try per period; the owner did not wait for it.
        Assert.Contains(flood, attempt => !attempt.IsCompleted);

        await Task.WhenAll(flood).WithPatience();
        var sameSource = await guesser.RequestAsync(HttpMethod.Get, "api/stats", AdminEndpoints.Bearer(BearerToken));
        Assert.Equal(HttpStatusCode.OK, sameSource.StatusCode);
    }

    [Fact]
    public async Task A_burst_of_right_credentials_from_one_source_is_not_refused()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}");
        using var http = host.CreateAdminClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, Limits.QueueLimit * 4)
            .Select(_ => http.RequestAsync(HttpMethod.Get, "api/stats", AdminEndpoints.Bearer(BearerToken)))).WithPatience();

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task No_token_and_a_wrong_token_are_told_apart_and_only_the_wrong_one_is_a_failed_login()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}", "Logging:LogLevel:Default=Information");
        var log = new CapturingLoggerProvider();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        using var http = host.CreateAdminClient();

        using var none = await http.RequestAsync(HttpMethod.Get, "api/stats");
        using var wrong = await WrongTryAsync(http);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, wrong.StatusCode));
        Assert.Equal("no admin token was sent", await TitleAsync(none));
        Assert.Equal("the admin token is wrong", await TitleAsync(wrong));
        Assert.Equal("Bearer realm=\"Splicer admin\"", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal("Bearer realm=\"Splicer admin\", error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
        host.Services.GetRequiredService<FailedLoginLog>().Flush();
        var summaries = log.Entries.Where(entry => entry.Category == typeof(FailedLoginLog).FullName).ToArray();
        Assert.Equal(1, summaries.Sum(summary => (int)summary.State["Failed"]!));
        Assert.DoesNotContain(log.Entries, entry => entry.Message.Contains("wrong-token-wrong-token"));
    }

    [Fact]
    public async Task With_a_password_too_no_credential_and_a_wrong_password_are_told_apart()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}", "Admin:Password=the owner's password");
        using var http = host.CreateAdminClient();

        using var none = await http.RequestAsync(HttpMethod.Get, "api/stats");
        using var wrong = await http.RequestAsync(HttpMethod.Get, "api/stats", AdminEndpoints.Basic("not the password"));

        Assert.Equal("no admin token or password was sent", await TitleAsync(none));
        Assert.Equal("the admin password is wrong", await TitleAsync(wrong));
        Assert.Equal("Basic", wrong.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Failed_logins_are_logged_as_one_summary_not_a_line_per_try()
    {
        await using var host = await AdminEndpoints.StartAsync($"Admin:BearerToken={BearerToken}", "Logging:LogLevel:Default=Information");
        var log = new CapturingLoggerProvider();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        using var http = host.CreateAdminClient();
        const int tries = 3;

        for (var i = 0; i < tries; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await WrongTryAsync(http)).StatusCode);
        }

        Assert.DoesNotContain(log.Entries, entry => entry.Category == typeof(CredentialAuthenticationHandler).FullName);
        host.Services.GetRequiredService<FailedLoginLog>().Flush();

        // The minute's own summary may have come in between: the summaries add up.
        var summaries = log.Entries.Where(entry => entry.Category == typeof(FailedLoginLog).FullName).ToArray();
        Assert.All(summaries, summary => Assert.Equal(LogLevel.Warning, summary.Level));
        Assert.Equal(tries, summaries.Sum(summary => (int)summary.State["Failed"]!));
        Assert.Contains("127.0.0.1 (", summaries.Last().Message);
    }

    [Fact]
    public void Sources_are_IPv4_addresses_and_IPv6_64_prefixes()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.7"), LoginSource.Of(IPAddress.Parse("192.0.2.7")));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), LoginSource.Of(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal(LoginSource.Of(IPAddress.Parse("2001:db8:1:2::1")), LoginSource.Of(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.NotEqual(LoginSource.Of(IPAddress.Parse("2001:db8:1:2::1")), LoginSource.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("2001:db8:1:2::/64", LoginSource.Describe(LoginSource.Of(IPAddress.Parse("2001:db8:1:2::1"))));
    }

    /// <summary>Uses up the failures that are answered at once, so that the source is being slowed.</summary>
    private static async Task SpendFreeFailuresAsync(HttpClient http)
    {
        for (var i = 0; i < Limits.FreeFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await WrongTryAsync(http)).StatusCode);
        }
    }

    private static async Task<string?> TitleAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("title").GetString();
    }

    private static Task<HttpResponseMessage> WrongTryAsync(HttpClient http) =>
        http.RequestAsync(HttpMethod.Get, "api/stats", AdminEndpoints.Bearer("wrong-token-wrong-token"));

    private static Task<HttpResponseMessage>[] Flood(HttpClient http, int tries) =>
        Enumerable.Range(0, tries).Select(_ => WrongTryAsync(http)).ToArray();

    private static bool IsRefused(Task<HttpResponseMessage> attempt) =>
        attempt.IsCompletedSuccessfully && attempt.Result.StatusCode == HttpStatusCode.TooManyRequests;

    private sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), fields.ToDictionary()));
            }
        }
    }
}
