using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Splicer.Transport;

/// <summary>
/// The certificate served now. Each new TLS client looks at the files' times and sizes (two stats, no
/// watcher: ACME clients renew in place or swap symlinks, which a watcher misses) and a change is
/// loaded before that client's handshake. A renewal that cannot be read is logged and the one before
/// it kept, until the files change again.
/// </summary>
internal sealed partial class TlsCertificates(IOptions<TlsOptions> options, ILogger<TlsCertificates> logger)
{
    private readonly string _certificatePath = options.Value.Certificate ?? "";
    private readonly string _keyPath = options.Value.Key ?? "";
    private readonly Lock _lock = new();
    private TlsCertificate? _current;
    private FilesStamp _failedStamp;

    public TlsCertificate Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            var stamp = FilesStamp.Of(_certificatePath, _keyPath);
            return current is not null && (stamp == current.Stamp || stamp == _failedStamp) ? current : Reload(stamp);
        }
    }

    private TlsCertificate Reload(FilesStamp stamp)
    {
        lock (_lock)
        {
            if (_current is { } current && (current.Stamp == stamp || _failedStamp == stamp))
            {
                return current;
            }

            try
            {
                var loaded = TlsCertificate.Load(_certificatePath, _keyPath);
                if (_current is not null)
                {
                    LogReloaded(logger, loaded.Leaf.Subject, loaded.Leaf.NotAfter);
                }

                Volatile.Write(ref _current, loaded);
                return loaded;
            }
            catch (TlsCertificateException ex) when (_current is not null)
            {
                _failedStamp = stamp;
                LogReloadFailed(logger, TlsOptions.SectionName + ":" + ex.Key, ex.Message);
                return _current;
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "TLS certificate reloaded from disk: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "TLS certificate changed on disk but cannot be loaded ({Key}: {Reason}); still serving the previous one")]
    private static partial void LogReloadFailed(ILogger logger, string key, string reason);
}
