using System.Text.Json.Serialization;

namespace Splicer.Client.Transfer;

[JsonConverter(typeof(JsonStringEnumConverter<EntryKind>))]
public enum EntryKind
{
    File,
    Directory,
    Link,
}
