using Xunit.Abstractions;
using Xunit.Sdk;

namespace Splicer.Tests.Infrastructure;

/// <summary>
/// A fact that needs <paramref name="prerequisites"/> (and whatever its class <see cref="RequiresAttribute">requires</see>).
/// Where one is missing, the test is skipped with the reason; on CI (<c>CI=true</c>) it fails with the reason instead.
/// </summary>
[XunitTestCaseDiscoverer("Splicer.Tests.Infrastructure.RequiresFactDiscoverer", "Splicer.Tests")]
public class RequiresFactAttribute(params Prerequisite[] prerequisites) : FactAttribute, IRequirements
{
    public IReadOnlyList<Prerequisite> Prerequisites { get; } = prerequisites;

    /// <summary>Programs the test installs itself when it runs on CI; elsewhere a missing one skips it.</summary>
    public string[] ProgramsInstalledOnCi { get; set; } = [];
}

/// <summary>A theory with prerequisites, as <see cref="RequiresFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Splicer.Tests.Infrastructure.RequiresTheoryDiscoverer", "Splicer.Tests")]
public sealed class RequiresTheoryAttribute(params Prerequisite[] prerequisites) : TheoryAttribute, IRequirements
{
    public IReadOnlyList<Prerequisite> Prerequisites { get; } = prerequisites;

    public string[] ProgramsInstalledOnCi { get; set; } = [];
}

/// <summary>
/// What every <see cref="RequiresFactAttribute"/> and <see cref="RequiresTheoryAttribute"/> test of the class needs,
/// inherited ones included (a data path's class of the relay's contract names what that path needs).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresAttribute(params Prerequisite[] prerequisites) : Attribute
{
    public IReadOnlyList<Prerequisite> Prerequisites { get; } = prerequisites;
}

internal interface IRequirements
{
    IReadOnlyList<Prerequisite> Prerequisites { get; }

    string[] ProgramsInstalledOnCi { get; }
}

public sealed class RequiresFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _facts = new(diagnostics);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        PrerequisiteCases.Unless(diagnostics, discoveryOptions, testMethod, factAttribute) ?? _facts.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class RequiresTheoryDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    private readonly TheoryDiscoverer _theories = new(diagnostics);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        PrerequisiteCases.Unless(diagnostics, discoveryOptions, testMethod, factAttribute) ?? _theories.Discover(discoveryOptions, testMethod, factAttribute);
}

internal static class PrerequisiteCases
{
    /// <summary>A skipped or failing test case when a prerequisite is missing; null when the test may run.</summary>
    public static IEnumerable<IXunitTestCase>? Unless(IMessageSink diagnostics, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (factAttribute is not IReflectionAttributeInfo { Attribute: IRequirements requirements } || factAttribute.GetNamedArgument<string>("Skip") is not null)
        {
            return null;
        }

        var ofClass = testMethod.TestClass.Class.ToRuntimeType()
            .GetCustomAttributes(typeof(RequiresAttribute), inherit: true)
            .Cast<RequiresAttribute>()
            .SelectMany(requires => requires.Prerequisites);
        var verdict = Prerequisites.Judge(requirements.Prerequisites.Concat(ofClass), requirements.ProgramsInstalledOnCi);
        var display = options.MethodDisplayOrDefault();
        var displayOptions = options.MethodDisplayOptionsOrDefault();
        return verdict switch
        {
            { FailReason: { } reason } => [new ExecutionErrorTestCase(diagnostics, display, displayOptions, testMethod, reason)],
            { SkipReason: { } reason } => [new XunitSkippedDataRowTestCase(diagnostics, display, displayOptions, testMethod, reason)],
            _ => null,
        };
    }
}
