namespace Splicer.Client.Verbs;

/// <summary>The exit codes of every verb: 0 ok, 1 failed, 2 usage.</summary>
internal static class CliExit
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
