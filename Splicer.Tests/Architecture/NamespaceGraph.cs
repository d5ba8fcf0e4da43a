using System.Text.RegularExpressions;

namespace Splicer.Tests.Architecture;

/// <summary>
/// Which namespace (folder) of one project uses which, read from its sources: a file depends on another
/// namespace when it imports it (or sits inside it) and names one of the types declared there.
/// </summary>
internal sealed partial class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = [];

    private NamespaceGraph()
    {
    }

    /// <summary>Every edge, namespace to namespace, with one file and type that makes it.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    /// <summary>The graph of the project in <paramref name="projectFolder"/>, leaving out projects nested in it.</summary>
    public static NamespaceGraph Of(string projectFolder)
    {
        var files = SourceFiles(projectFolder).Select(path => SourceFile.Read(path, projectFolder)).OfType<SourceFile>().ToList();
        var declared = files.GroupBy(file => file.Namespace).ToDictionary(group => group.Key, group => group.SelectMany(file => file.Types).ToHashSet());
        var graph = new NamespaceGraph();
        foreach (var file in files)
        {
            foreach (var (other, types) in declared)
            {
                if (other != file.Namespace && file.Sees(other) && types.FirstOrDefault(file.Names) is { } type)
                {
                    graph.Add(file.Namespace, other, $"{file.RelativePath} names {type}");
                }
            }
        }

        return graph;
    }

    /// <summary>Sets of namespaces that reach each other (strongly connected components of more than one).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles() => new CycleFinder(_edges).Find();

    public string Describe(IReadOnlyList<string> cycle) =>
        $"[{string.Join(", ", cycle)}]: " + string.Join("; ", cycle.SelectMany(from =>
            _edges.GetValueOrDefault(from, []).Where(edge => cycle.Contains(edge.Key)).Select(edge => $"{from} -> {edge.Key} ({edge.Value})")));

    private void Add(string from, string to, string evidence)
    {
        var targets = _edges.TryGetValue(from, out var found) ? found : _edges[from] = [];
        targets.TryAdd(to, evidence);
    }

    private static IEnumerable<string> SourceFiles(string projectFolder)
    {
        var nested = Directory.EnumerateFiles(projectFolder, "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .Where(folder => Path.GetFullPath(folder!) != Path.GetFullPath(projectFolder))
            .Select(folder => Path.GetFullPath(folder!) + Path.DirectorySeparatorChar)
            .ToList();
        return Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                && !nested.Any(folder => Path.GetFullPath(path).StartsWith(folder, StringComparison.Ordinal)));
    }

    private sealed partial record SourceFile(string RelativePath, string Namespace, HashSet<string> Imports, HashSet<string> Types, string Code)
    {
        public static SourceFile? Read(string path, string projectFolder)
        {
            var text = File.ReadAllText(path);
            if (NamespaceLine().Match(text) is not { Success: true } declaration)
            {
                return null;
            }

            return new SourceFile(
                Path.GetRelativePath(projectFolder, path),
                declaration.Groups[1].Value,
                UsingLine().Matches(text).Select(match => match.Groups[1].Value).ToHashSet(),
                TypeDeclaration().Matches(text).Select(match => match.Groups[1].Value).ToHashSet(),
                LineComment().Replace(text[declaration.Index..], string.Empty));
        }

        /// <summary>Types of <paramref name="other"/> are in scope here: imported, or an enclosing namespace.</summary>
        public bool Sees(string other) => Imports.Contains(other) || Namespace.StartsWith(other + ".", StringComparison.Ordinal);

        public bool Names(string type) => Regex.IsMatch(Code, $@"\b{Regex.Escape(type)}\b");

        [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
        private static partial Regex NamespaceLine();

        [GeneratedRegex(@"^using\s+(?:static\s+)?([\w.]+)\s*;", RegexOptions.Multiline)]
        private static partial Regex UsingLine();

        [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|sealed|static|partial|readonly|abstract|file|ref|unsafe)\s+)*(?:class|struct|record(?:\s+struct|\s+class)?|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
        private static partial Regex TypeDeclaration();

        // Plain comments may name anything; documentation comments (///) resolve their crefs, so they count.
        [GeneratedRegex(@"//(?!/).*")]
        private static partial Regex LineComment();
    }

    /// <summary>Tarjan's strongly connected components over the namespace edges.</summary>
    private sealed class CycleFinder(Dictionary<string, Dictionary<string, string>> edges)
    {
        private readonly Dictionary<string, int> _index = [];
        private readonly Dictionary<string, int> _lowLink = [];
        private readonly Stack<string> _stack = new();
        private readonly HashSet<string> _onStack = [];
        private readonly List<IReadOnlyList<string>> _cycles = [];

        public List<IReadOnlyList<string>> Find()
        {
            foreach (var node in edges.Keys.Concat(edges.Values.SelectMany(targets => targets.Keys)).Distinct().Order(StringComparer.Ordinal))
            {
                if (!_index.ContainsKey(node))
                {
                    Visit(node);
                }
            }

            return _cycles;
        }

        private void Visit(string node)
        {
            _index[node] = _lowLink[node] = _index.Count;
            _stack.Push(node);
            _onStack.Add(node);
            foreach (var next in edges.GetValueOrDefault(node, []).Keys)
            {
                if (!_index.ContainsKey(next))
                {
                    Visit(next);
                    _lowLink[node] = Math.Min(_lowLink[node], _lowLink[next]);
                }
                else if (_onStack.Contains(next))
                {
                    _lowLink[node] = Math.Min(_lowLink[node], _index[next]);
                }
            }

            if (_lowLink[node] != _index[node])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = _stack.Pop();
                _onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);

            if (component.Count > 1)
            {
                component.Sort(StringComparer.Ordinal);
                _cycles.Add(component);
            }
        }
    }
}
