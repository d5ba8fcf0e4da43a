namespace Splicer.Tests.Client;

/// <summary>A client's own folder (what <c>XDG_CONFIG_HOME</c> points at), removed with it.</summary>
internal sealed class ClientFolder : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("splicer-client-");

    public string Path => _directory.FullName;

    public string Splicer => System.IO.Path.Combine(Path, "splicer");

    public void Dispose() => _directory.Delete(recursive: true);
}
