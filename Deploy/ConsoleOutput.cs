using Spectre.Console;

namespace OneKosmos.Deploy
{
    /// <summary>The deployment's progress on the terminal: each step as it starts, then a line a change (+) or a thing already right (=).</summary>
    internal sealed class ConsoleOutput : IDeployOutput
    {
        private readonly IAnsiConsole _console;

        public ConsoleOutput(IAnsiConsole console)
        {
            _console = console;
        }

        public void Step(int number, int of, string name) => _console.MarkupLine($"[bold]{number}/{of}[/] {Markup.Escape(name)}");

        public void Changed(string what) => _console.MarkupLine($"  [green]+[/] {Markup.Escape(what)}");

        public void Unchanged(string what) => _console.MarkupLine($"  [grey]= {Markup.Escape(what)}[/]");

        public void Say(string text) => _console.MarkupLine($"  {Markup.Escape(text)}");
    }
}
