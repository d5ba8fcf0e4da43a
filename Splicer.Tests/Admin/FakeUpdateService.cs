using Splicer.Admin.Updates;

namespace Splicer.Tests.Admin;

/// <summary>
/// Plays the appliance's root update service for a relay in a test: the folders it shares with Splicer,
/// RAUC's status and the running version written at boot, and an install's progress.
/// </summary>
internal sealed class FakeUpdateService : IDisposable
{
    public const string RunningVersion = "0.1.0-20261201";

    // What `rauc status --detailed --output-format=json` says on a box booted from slot A after one update of B.
    private const string RaucStatusJson = """
        {"compatible":"splicer-appliance-x64","variant":"","booted":"A","boot_primary":"system.0","slots":[
         {"system.1":{"class":"system","device":"/dev/disk/by-partlabel/splicer-b","type":"ext4","bootname":"B","state":"inactive","parent":null,"mountpoint":null,"boot_status":"bad",
           "slot_status":{"bundle":{"compatible":"splicer-appliance-x64","version":"0.1.0-next"},"status":"ok"}}},
         {"system.0":{"class":"system","device":"/dev/disk/by-partlabel/splicer-a","type":"ext4","bootname":"A","state":"booted","parent":null,"mountpoint":"/","boot_status":"good",
           "slot_status":{"bundle":{"compatible":null}}}}]}
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "splicer-update-" + Guid.NewGuid().ToString("N"));

    /// <summary>Splicer's side: the bundle and the requests.</summary>
    public string Requests => Path.Combine(_root, "update");

    /// <summary>The service's side: status and progress.</summary>
    public string Status => Path.Combine(_root, "status");

    /// <summary>The settings that point a relay at these folders.</summary>
    public string[] Settings => [$"Admin:Update:Directory={Requests}", $"Admin:Update:StatusDirectory={Status}"];

    public bool Requested(string name) => File.Exists(Path.Combine(Requests, name));

    public IEnumerable<string?> RequestFiles() =>
        Directory.Exists(Requests) ? Directory.GetFiles(Requests).Select(Path.GetFileName).Order() : [];

    /// <summary>What the service writes at boot: RAUC's status and the running version.</summary>
    public void Boot()
    {
        Directory.CreateDirectory(Status);
        File.WriteAllText(Path.Combine(Status, UpdateFiles.RaucStatusName), RaucStatusJson);
        File.WriteAllText(Path.Combine(Status, UpdateFiles.VersionName), RunningVersion + "\n");
    }

    /// <summary>Takes the install request, as the service does when it starts installing.</summary>
    public async Task ReportAsync(string json, bool takeRequest = false)
    {
        var path = Path.Combine(Status, UpdateFiles.ProgressName);
        await File.WriteAllTextAsync(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
        if (takeRequest)
        {
            File.Delete(Path.Combine(Requests, UpdateFiles.InstallRequestName));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
