using System.Net;
using Microsoft.Extensions.Options;
using Splicer.Hosting;

namespace Splicer.Accept;

/// <summary>Admits a new connection only while the total and per-address limits allow it.</summary>
internal sealed class ConnectionGate(IOptions<SplicerOptions> options)
{
    private readonly int _maxTotal = options.Value.MaxConnections;
    private readonly int _maxPerAddress = options.Value.MaxConnectionsPerIp;
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly Lock _lock = new();
    private int _total;

    public int Open => Volatile.Read(ref _total);

    public bool TryAdmit(IPAddress address, out IDisposable admission, out string refusal)
    {
        lock (_lock)
        {
            if (_total >= _maxTotal)
            {
                return Refuse($"the relay already holds {_maxTotal} connections (Splicer:MaxConnections)", out admission, out refusal);
            }

            _perAddress.TryGetValue(address, out var fromAddress);
            if (fromAddress >= _maxPerAddress)
            {
                return Refuse($"{address} already holds {_maxPerAddress} connections (Splicer:MaxConnectionsPerIp)", out admission, out refusal);
            }

            _perAddress[address] = fromAddress + 1;
            _total++;
        }

        admission = new Admission(this, address);
        refusal = string.Empty;
        return true;
    }

    private static bool Refuse(string reason, out IDisposable admission, out string refusal)
    {
        admission = NoAdmission.Instance;
        refusal = reason;
        return false;
    }

    private void Release(IPAddress address)
    {
        lock (_lock)
        {
            _total--;
            if (_perAddress[address] == 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address]--;
            }
        }
    }

    private sealed class Admission(ConnectionGate gate, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release(address);
            }
        }
    }

    private sealed class NoAdmission : IDisposable
    {
        public static readonly NoAdmission Instance = new();

        public void Dispose()
        {
        }
    }
}
