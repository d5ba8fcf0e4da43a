using System.Text.Json;
using System.Text.Json.Serialization;

namespace Splicer.Client.Verbs;

/// <summary><c>splicer punch-probe</c>'s JSON line, serialized by generated code as NativeAOT needs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PunchProbeReport))]
internal sealed partial class PunchProbeJson : JsonSerializerContext;
