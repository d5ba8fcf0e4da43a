namespace Splicer.Access;

/// <summary>A box key file that Splicer will not use; the message names the file and what to do.</summary>
public sealed class BoxKeyFileException(string message) : Exception(message);
