using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Client.PortMapping;

/// <summary>
/// A network namespace the test made (<c>ip netns add</c>), removed with everything in it when disposed. A socket
/// belongs to the namespace it was created in, so <see cref="Socket"/> creates one there from a short-lived thread
/// that alone enters the namespace; the test then uses it from anywhere.
/// </summary>
internal sealed class NetworkNamespace(string name) : IAsyncDisposable
{
    private const int NewNetworkNamespace = 0x40000000;

    public string Name { get; } = name;

    public static async Task<NetworkNamespace> CreateAsync(string name)
    {
        await RunOnHostAsync("ip", "netns", "add", name);
        var created = new NetworkNamespace(name);
        await created.RunAsync("ip", "link", "set", "lo", "up");
        return created;
    }

    /// <summary>Runs a command inside the namespace; fails the test with its output when it fails.</summary>
    public Task<string> RunAsync(string program, params string[] arguments) => RunOnHostAsync("ip", ["netns", "exec", Name, program, .. arguments]);

    public static async Task<string> RunOnHostAsync(string program, params string[] arguments)
    {
        await using var process = ExternalProcess.Start(program, arguments);
        var exit = await process.WaitForExitAsync();
        return exit == 0 ? process.Output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exit}: {process.Output}");
    }

    /// <summary>A veth pair between two namespaces, each end with its addresses (IPv6 without duplicate detection's wait).</summary>
    public static async Task LinkAsync(NetworkNamespace one, string oneName, string[] oneAddresses, NetworkNamespace other, string otherName, string[] otherAddresses)
    {
        await NetworkNamespace.RunOnHostAsync("ip", "link", "add", oneName, "netns", one.Name, "type", "veth", "peer", "name", otherName, "netns", other.Name);
        foreach (var (network, name, addresses) in new[] { (one, oneName, oneAddresses), (other, otherName, otherAddresses) })
        {
            foreach (var address in addresses)
            {
                await network.RunAsync("ip", ["addr", "add", address, "dev", name, .. address.Contains(':') ? ["nodad"] : Array.Empty<string>()]);
            }

            await network.RunAsync("ip", "link", "set", name, "up");
        }
    }

    public Socket Socket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket? created = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{Name}");
                if (SetNamespace((int)handle.DangerousGetHandle(), NewNetworkNamespace) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError());
                }

                created = new Socket(family, type, protocol);
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        return created ?? throw new InvalidOperationException($"could not make a socket in namespace {Name}", failure);
    }

    public async ValueTask DisposeAsync() => await RunOnHostAsync("ip", "netns", "del", Name);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int type);
}
