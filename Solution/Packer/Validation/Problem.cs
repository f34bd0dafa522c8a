namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>One thing wrong with the solution source: the file, the element (and line when known), and what to fix.</summary>
    internal sealed record Problem(string File, string Element, string Message, int Line = 0)
    {
        public override string ToString() => Line > 0 ? $"{File}:{Line}: <{Element}>: {Message}" : $"{File}: <{Element}>: {Message}";
    }
}
