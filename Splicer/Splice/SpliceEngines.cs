using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Splicer.Hosting;

namespace Splicer.Splice;

/// <summary>Picks the data path named by <c>Splicer:DataPath</c>.</summary>
internal static class SpliceEngines
{
    public static ISpliceEngine Create(IServiceProvider services)
    {
        var dataPath = services.GetRequiredService<IOptions<SplicerOptions>>().Value.DataPath;
        return dataPath switch
        {
            DataPath.KernelSplice => throw new OptionsValidationException(
                SplicerOptions.SectionName, typeof(SplicerOptions),
                ["Splicer:DataPath 'KernelSplice' is not available in this build; use Auto or Pipelines."]),
            _ => new PipelineSpliceEngine(),
        };
    }
}
