using Splicer.Tests.Infrastructure;

namespace Splicer.Tests.Architecture;

/// <summary>Folders are the stages of the flow, and each assembly's imports run one way between them.</summary>
public sealed class ImportGraphTests
{
    /// <summary>The relay's stages in the order a connection meets them; a folder may use only those before it.</summary>
    private static readonly string[] RelayFlow =
    [
        "Splicer.Endings",
        "Splicer.Options",
        "Splicer.Fleet",
        "Splicer.Governance",
        "Splicer.Accept",
        "Splicer.Transport",
        "Splicer.Handshake",
        "Splicer.Governance.Entry",
        "Splicer.Rendezvous",
        "Splicer.Rendezvous.Direct",
        "Splicer.Splice.Pacing",
        "Splicer.Splice",
        "Splicer.Splice.Kernel",
        "Splicer.Governance.Sessions",
        "Splicer.State",
        "Splicer.Accounting",
    ];

    public static TheoryData<string> Projects => new("Splicer/Protocol", "Splicer/Relay", "Splicer/Client", "Splicer", "Splicer.Admin");

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_two_folders_of_an_assembly_use_each_other_not_even_through_a_third(string project)
    {
        var graph = NamespaceGraph.Of(Path.Combine(RepositoryFiles.Root, project));

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine, cycles.Select(graph.Describe)));
    }

    [Fact]
    public void Each_stage_of_the_relay_uses_only_the_stages_before_it()
    {
        var graph = NamespaceGraph.Of(Path.Combine(RepositoryFiles.Root, "Splicer/Relay"));

        var backwards = graph.Edges
            .SelectMany(from => from.Value.Select(to => (From: from.Key, To: to.Key, Evidence: to.Value)))
            .Where(edge => Array.IndexOf(RelayFlow, edge.From) is var from && Array.IndexOf(RelayFlow, edge.To) is var to && (from < 0 || to < 0 || to > from))
            .Select(edge => $"{edge.From} -> {edge.To} ({edge.Evidence})")
            .ToList();

        Assert.True(backwards.Count == 0, "Imports against the flow (or of a folder the flow does not list):" + Environment.NewLine + string.Join(Environment.NewLine, backwards));
    }
}
