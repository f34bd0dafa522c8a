using OneKosmos.Plugins.Steps;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// The main operation of one custom API: the class is named after the API without the publisher prefix
    /// (<c>StartVerification</c> runs okos_StartVerification), and refuses to run as anything else.
    /// </summary>
    public abstract class CustomApi : PluginBase
    {
        private string ApiName => "okos_" + GetType().Name;

        protected override string Registration => $"the custom API {ApiName} (as its main operation)";

        protected override bool RunsFor(string message, string table) => message == ApiName;
    }
}
