namespace Splicer.Access;

/// <summary>What a relay's name may be: it is signed into invites and shown to the people who join.</summary>
public static class RelayNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':');
}
