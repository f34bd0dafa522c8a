namespace OneKosmos.Deploy
{
    /// <summary>Where a deployment says what it does: a step begins, a change is made (or planned, with --dry-run), a thing is already right.</summary>
    public interface IDeployOutput
    {
        void Step(int number, int of, string name);

        void Changed(string what);

        void Unchanged(string what);

        void Say(string text);
    }
}
