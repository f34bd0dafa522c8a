namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>The event pipeline stages, with the numbers <see cref="Microsoft.Xrm.Sdk.IPluginExecutionContext.Stage"/> carries.</summary>
    public enum PipelineStage
    {
        PreValidation = 10,
        PreOperation = 20,
        MainOperation = 30,
        PostOperation = 40,
    }

    /// <summary>The execution modes, with the numbers <see cref="Microsoft.Xrm.Sdk.IExecutionContext.Mode"/> carries.</summary>
    public enum ExecutionMode
    {
        Synchronous = 0,
        Asynchronous = 1,
    }
}
