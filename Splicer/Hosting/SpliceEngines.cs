using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Splicer.Accept;
using Splicer.Options;
using Splicer.Splice;
using Splicer.Splice.Kernel;

namespace Splicer.Hosting;

/// <summary>Picks the data path named by <c>Splicer:DataPath</c>; Auto takes the kernel path where it works.</summary>
internal static partial class SpliceEngines
{
    public static ISpliceEngine Create(IServiceProvider services)
    {
        var dataPath = services.GetRequiredService<IOptions<SplicerOptions>>().Value.DataPath;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpliceEngines).FullName!);
        var whyNoKernel = dataPath == DataPath.Pipelines ? null : KernelSpliceSupport.WhyUnavailable;
        ISpliceEngine engine = dataPath switch
        {
            DataPath.Pipelines => new PipelineSpliceEngine(),
            DataPath.KernelSplice when whyNoKernel is not null => throw new OptionsValidationException(
                SplicerOptions.SectionName, typeof(SplicerOptions),
                [$"Splicer:DataPath 'KernelSplice' needs Linux splice(2) between TCP sockets, which does not work here ({whyNoKernel}); use Auto or Pipelines."]),
            _ when whyNoKernel is null => CreateKernel(services.GetRequiredService<DescriptorBudget>()),
            _ => new PipelineSpliceEngine(),
        };

        if (whyNoKernel is null)
        {
            LogDataPath(logger, engine.Name, dataPath);
        }
        else
        {
            LogKernelUnavailable(logger, engine.Name, dataPath, whyNoKernel);
        }

        return engine;
    }

    private static KernelSpliceEngine CreateKernel(DescriptorBudget descriptors) =>
        new(new PipePool(KernelSpliceEngine.PipeCapacity, KernelSpliceEngine.MaxPooledPipes, descriptors));

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Data path: {Engine} (Splicer:DataPath = {DataPath})")]
    private static partial void LogDataPath(ILogger logger, string engine, DataPath dataPath);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Data path: {Engine} (Splicer:DataPath = {DataPath}); the kernel path is unavailable: {WhyNoKernel}")]
    private static partial void LogKernelUnavailable(ILogger logger, string engine, DataPath dataPath, string whyNoKernel);
}
