using System.Text.Json;
using System.Text.Json.Serialization;
using Splicer.Admin.Hosting;
using Splicer.Text;

namespace Splicer.Admin;

/// <summary>
/// A byte count in a request body: a number, or a size as the docs and the CLI write it (<c>"10G"</c>,
/// <c>"512M"</c>). Written back as a number.
/// </summary>
public sealed class ByteCountJson : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt64(out var bytes) => bytes,
        JsonTokenType.String when ByteSizes.TryParse(reader.GetString(), out var bytes) => bytes,
        _ => throw new JsonException("a size must be a number of bytes or a size such as \"512M\" or \"10G\""),
    };

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } bytes)
        {
            writer.WriteNumberValue(bytes);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
