using System.Text.Json;
using Splicer.Admin.Hosting;

namespace Splicer.Admin.Updates;

/// <summary>
/// Reads what the dashboard shows of <c>rauc status --detailed --output-format=json</c>: the booted slot
/// and each slot's state and bundle version. Anything unexpected reads as "not known", never as an error.
/// </summary>
internal static class RaucStatus
{
    public static (string? Booted, IReadOnlyList<SlotView> Slots) Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, []);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var booted = Text(root, "booted");
            var slots = new List<SlotView>();
            if (root.TryGetProperty("slots", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                // Each entry is an object with one member: the slot's name ("system.0") and its details.
                foreach (var slot in list.EnumerateArray().Where(entry => entry.ValueKind == JsonValueKind.Object).SelectMany(entry => entry.EnumerateObject()))
                {
                    slots.Add(Slot(slot.Name, slot.Value, booted));
                }
            }

            return (booted, slots.OrderBy(slot => slot.Name, StringComparer.Ordinal).ToArray());
        }
        catch (JsonException)
        {
            return (null, []);
        }
    }

    private static SlotView Slot(string name, JsonElement details, string? booted)
    {
        var bootName = Text(details, "bootname") ?? name;
        var state = Text(details, "state") ?? "unknown";
        string? version = null;
        if (details.TryGetProperty("slot_status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("bundle", out var bundle) && bundle.ValueKind == JsonValueKind.Object)
        {
            version = Text(bundle, "version");
        }

        return new SlotView(bootName, state, Text(details, "boot_status"), version, state == "booted" || bootName == booted);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
