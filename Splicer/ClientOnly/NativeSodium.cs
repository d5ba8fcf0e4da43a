using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Splicer.ClientOnly;

/// <summary>
/// libsodium travels inside the client's one file (a NativeAOT program cannot bundle a native library):
/// on first use it is written once to the user's cache folder, named by its hash, and loaded from there.
/// </summary>
internal static class NativeSodium
{
    private const string ResourceName = "libsodium";

    public static void LoadFromInside()
    {
        if (typeof(NativeSodium).Assembly.GetManifestResourceInfo(ResourceName) is null)
        {
            return; // a build for a platform whose libsodium is not embedded: the system's or the one beside the program
        }

        NativeLibrary.SetDllImportResolver(typeof(NSec.Cryptography.Key).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == ResourceName ? NativeLibrary.Load(Extracted()) : IntPtr.Zero;

    private static string Extracted()
    {
        using var embedded = typeof(NativeSodium).Assembly.GetManifestResourceStream(ResourceName)!;
        var bytes = new byte[embedded.Length];
        embedded.ReadExactly(bytes);
        var folder = Path.Combine(CacheHome(), "splicer");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(folder, $"libsodium-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}.so");
        if (!File.Exists(path))
        {
            // Written aside and renamed, so a second client starting at the same moment never loads half a file.
            var partial = $"{path}.{Environment.ProcessId}";
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    private static string CacheHome() =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
}
