namespace Splicer.Bench.Infrastructure;

/// <summary>
/// The load generator runs its socket continuations on the socket engine's event threads: it never
/// blocks there, and the saved thread-pool hand-off per completion leaves more of the two shared
/// cores to the target being measured. Set before the bench opens its first socket.
/// </summary>
internal static class GeneratorSockets
{
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void RunContinuationsInline() => Environment.SetEnvironmentVariable(InlineVariable, "1");
}
