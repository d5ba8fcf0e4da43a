using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Splicer.Client.Transfer;

/// <summary>The transfer's messages in JSON, serialized by generated code as NativeAOT needs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TransferManifest))]
[JsonSerializable(typeof(ResumeOffsets))]
[JsonSerializable(typeof(TransferVerdict))]
internal sealed partial class TransferJson : JsonSerializerContext
{
    /// <summary>Web defaults, reading and writing only the types listed above.</summary>
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default };

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
