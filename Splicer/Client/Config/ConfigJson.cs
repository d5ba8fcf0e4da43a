using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Splicer.Client.Config;

/// <summary><c>client.json</c> in JSON, serialized by generated code as NativeAOT needs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClientConfig))]
internal sealed partial class ConfigJson : JsonSerializerContext
{
    /// <summary>Web defaults with <paramref name="change"/> applied, reading and writing only the types listed above.</summary>
    public static JsonSerializerOptions CreateOptions(Action<JsonSerializerOptions> change)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = Default };
        change(options);
        return options;
    }

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
