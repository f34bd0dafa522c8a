namespace Microsoft.Xrm.Sdk.Workflow
{
    public interface IWorkflowContext : IExecutionContext
    {
        string StageName { get; }

        int WorkflowCategory { get; }

        int WorkflowMode { get; }

        IWorkflowContext ParentContext { get; }
    }
}
