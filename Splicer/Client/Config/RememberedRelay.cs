using System.Text.Json.Serialization;

namespace Splicer.Client.Config;

/// <summary>A relay this device joined: where it is, the name proofs are signed for, and the credential it was given.</summary>
public sealed record RememberedRelay(
    string Name,
    string Url,
    string RelayName,
    string BoxKey,
    long IdentityId,
    long DoorId,
    DateTimeOffset? ExpiresAt,
    string Credential,
    IReadOnlyList<string>? OtherUrls = null)
{
    /// <summary>Every URL the relay was invited under: <see cref="Url"/> (the one the join went to) first, then the invite's others.</summary>
    [JsonIgnore]
    public IEnumerable<string> Urls => OtherUrls is null ? [Url] : OtherUrls.Prepend(Url);
}
