using System.Text.Json;
using Splicer.Admin.Live;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Admin;

public sealed class LiveEventsTests
{
    [Fact]
    public async Task The_event_stream_pushes_updates_that_list_a_new_session()
    {
        await using var host = await AdminEndpoints.StartAsync();
        using var http = host.CreateAdminClient();
        using var timeout = new CancellationTokenSource(Patience.Long);

        using var response = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        using var pair = await TestClient.PairAsync(host);
        var id = Assert.Single(host.Monitor().ActiveSessions()).Id;

        while (true)
        {
            var update = await ReadUpdateAsync(reader, timeout.Token);
            if (update.Sessions.Any(session => session.Id == id))
            {
                Assert.Equal(1, update.Totals.ActiveSessions);
                Assert.Equal(pair.Token[..8], update.Sessions.Single().TokenPrefix);
                break;
            }
        }
    }

    private static async Task<LiveUpdate> ReadUpdateAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? eventType = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == "update")
            {
                return JsonSerializer.Deserialize<LiveUpdate>(line["data: ".Length..], JsonSerializerOptions.Web)!;
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
