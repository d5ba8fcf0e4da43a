using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Splicer.Client.Direct;
using Splicer.Client.Transfer;

namespace Splicer.Client;

/// <summary>The client's JSON (its config file, the transfer's messages), serialized by generated code as NativeAOT needs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClientConfig))]
[JsonSerializable(typeof(TransferManifest))]
[JsonSerializable(typeof(ResumeOffsets))]
[JsonSerializable(typeof(TransferVerdict))]
[JsonSerializable(typeof(PunchProbeReport))]
internal sealed partial class ClientJson : JsonSerializerContext
{
    /// <summary>Web defaults with <paramref name="change"/> applied, reading and writing only the types listed above.</summary>
    public static JsonSerializerOptions CreateOptions(Action<JsonSerializerOptions>? change = null)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = Default };
        change?.Invoke(options);
        return options;
    }

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
