using Splicer.Cli;
using Splicer.Hosting;

// No verb (or only configuration arguments) runs the relay as it always did: the systemd unit and
// `dotnet Splicer.dll --Splicer:Port=0` keep working. Anything else is a verb (`serve`, `door`, …).
return SplicerCli.IsPlainServe(args) ? await SplicerHost.RunAsync(args) : await SplicerCli.RunAsync(args);
