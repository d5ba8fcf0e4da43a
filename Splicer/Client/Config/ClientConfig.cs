using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Splicer.Access;
using Splicer.Client.Failures;

namespace Splicer.Client.Config;

/// <summary>
/// <c>client.json</c>: the relays this device remembers and which one is the default. Written whole (a temporary
/// file renamed into place) with mode 0600, since it holds credentials.
/// </summary>
public sealed record ClientConfig(string? Default, IReadOnlyList<RememberedRelay> Relays)
{
    private static readonly JsonSerializerOptions Json = ConfigJson.CreateOptions(options =>
    {
        options.WriteIndented = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    });

    public static readonly ClientConfig Empty = new(null, []);

    public static ClientConfig Load(ClientDirectory directory)
    {
        if (!File.Exists(directory.ConfigFile))
        {
            return Empty;
        }

        RefuseIfOthersCanRead(directory.ConfigFile);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(directory.ConfigFile), ConfigJson.Info<ClientConfig>(Json)) ?? Empty;
        }
        catch (JsonException error)
        {
            throw new ClientFailure($"{directory.ConfigFile} cannot be read: {error.Message}");
        }
    }

    public void Save(ClientDirectory directory)
    {
        directory.Create();
        KeyFiles.WriteOwnerOnly(directory.ConfigFile, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, ConfigJson.Info<ClientConfig>(Json))), replace: true);
    }

    /// <summary>This config with <paramref name="relay"/> added (or replacing the one of the same name), the default if asked or if it is the first.</summary>
    public ClientConfig With(RememberedRelay relay, bool makeDefault) => new(
        makeDefault || Default is null ? relay.Name : Default,
        [.. Relays.Where(known => known.Name != relay.Name), relay]);

    public RememberedRelay? Find(string name) => Relays.FirstOrDefault(relay => relay.Name == name);

    public RememberedRelay? DefaultRelay => Default is null ? null : Find(Default);

    internal static void RefuseIfOthersCanRead(string path)
    {
        try
        {
            KeyFiles.RefuseIfOthersCanRead(path);
        }
        catch (BoxKeyFileException error)
        {
            throw new ClientFailure(error.Message);
        }
    }
}
