namespace OneKosmos.Solution.Model
{
    /// <summary>The event pipeline stages, with the numbers IPluginExecutionContext.Stage carries.</summary>
    public enum PipelineStage
    {
        PreValidation = 10,
        PreOperation = 20,
        MainOperation = 30,
        PostOperation = 40,
    }

    /// <summary>The execution modes, with the numbers IExecutionContext.Mode carries.</summary>
    public enum ExecutionMode
    {
        Synchronous = 0,
        Asynchronous = 1,
    }
}
