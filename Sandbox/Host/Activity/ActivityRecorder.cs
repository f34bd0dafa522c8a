using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.Activity
{
    /// <summary>
    /// Feeds the activity log from the sandbox's parts: each plug-in run with its trace lines (the gate's decisions and the
    /// custom APIs' outcomes named as such), each call a plug-in makes to 1Kosmos, what the person did on the simulator's
    /// pages, and the relay's log lines. Only what is safe to show goes in: custom API outputs by an allow-list (never the
    /// capture link or session id), 1Kosmos calls as method, path with ids masked, status and time.
    /// </summary>
    public sealed class ActivityRecorder
    {
        /// <summary>The outputs worth a line; everything else (CaptureUrl, SessionId…) stays out.</summary>
        private static readonly string[] ShownOutputs = { "Outcome", "ReasonCode", "Status", "Journey", "IalLevel", "Reused", "AlreadyFresh", "StepUpFresh", "Checked", "Updated", "Expired", "Errors" };

        /// <summary>A GUID, or a long token with a digit in it: what 1Kosmos session, credential and message ids look like.</summary>
        private static readonly Regex IdSegment = new("^(?=[^/]*[0-9])[0-9A-Za-z_.:-]{16,}$", RegexOptions.CultureInvariant);

        private const string GateType = "OneKosmos.Plugins.Steps.SensitiveActionGate";
        private const string StatusApi = "okos_GetVerificationStatus";

        private readonly ActivityLog _log;
        private readonly InMemoryDataverse _dataverse;

        public ActivityRecorder(ActivityLog log, InMemoryDataverse dataverse, BlockIdSimulator simulator)
        {
            _log = log;
            _dataverse = dataverse;
            dataverse.PluginRan += Observe;
            simulator.PersonActed += (session, what) => _log.Add("1Kosmos", ActivitySource.Person, $"The person {what}.", sessionId: session);
        }

        public ActivityLog Log => _log;

        /// <summary>A relay log line; the relay's correlation id and message id come from its logging scope.</summary>
        public void Relay(string? correlation, string? messageId, string text) =>
            _log.Add(correlation ?? "relay: 1Kosmos events poller", ActivitySource.Relay, text, messageId: messageId);

        /// <summary>Wraps the handler plug-ins reach 1Kosmos and Microsoft Entra through, so each call is a line under the request that made it.</summary>
        public HttpMessageHandler Recording(HttpMessageHandler inner) => new ObservedCallsHandler(this, inner);

        /// <summary>What a person did in the (simulated) Microsoft Authenticator, under the request that asked them.</summary>
        public void EntraPersonActed(string requestId, string what) => _log.Add("Microsoft Entra", ActivitySource.Person, $"The person {what}.", sessionId: requestId);

        /// <summary>
        /// Puts a name beside every id a line holds of a contact, opportunity or verification ("Jane Doe (3f2a…)"), so a search by
        /// name finds what happened to a person; ids stay, for a search by id.
        /// </summary>
        public Func<string, string> Namer()
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (table, column) in new[] { ("contact", "fullname"), ("opportunity", "name") })
            {
                foreach (var row in _dataverse.Rows(table).Where(row => !string.IsNullOrWhiteSpace(row.GetAttributeValue<string>(column))))
                {
                    names[row.Id.ToString()] = row.GetAttributeValue<string>(column);
                }
            }
            foreach (var row in _dataverse.Rows("okos_verification"))
            {
                if (row.GetAttributeValue<EntityReference>("okos_contactid") is { } contact && names.TryGetValue(contact.Id.ToString(), out var person))
                {
                    names[row.Id.ToString()] = $"verification of {person}";
                }
            }
            return text => Ids.Replace(text, match => names.TryGetValue(match.Value, out var name) ? $"{name} ({match.Value})" : match.Value);
        }

        private static readonly Regex Ids =
            new("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant);

        /// <summary>The correlation id a verification (by row id) or 1Kosmos session (by id) was started under, from its row.</summary>
        public Func<string, string?> StartedBy()
        {
            var origins = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in _dataverse.Rows("okos_verification"))
            {
                if (row.GetAttributeValue<string>("okos_correlationid") is { } correlation)
                {
                    origins[row.Id.ToString()] = correlation;
                    if (row.GetAttributeValue<string>("okos_sessionid") is { } session)
                    {
                        origins[session] = correlation;
                    }
                }
            }
            return key => origins.TryGetValue(key, out var correlation) ? correlation : null;
        }

        private void Observe(PluginRun run)
        {
            var context = run.Context;
            var correlation = context.CorrelationId.ToString();
            var isApi = run.Step.Stage == PipelineStage.MainOperation;
            if (isApi && context.MessageName == StatusApi && !run.TraceLines.Any(ChangedSomething) && run.Succeeded)
            {
                // The panel polls the status every few seconds: a read that changed nothing is not worth a line, nor its 1Kosmos call.
                _log.Forget(correlation);
                return;
            }
            var verification = context.OutputParameters.TryGetValue("VerificationId", out var id) && id is Guid guid && guid != Guid.Empty ? guid.ToString() : null;
            var message = context.InputParameters.TryGetValue("MessageId", out var messageId) ? messageId as string : null;
            var (source, text) = isApi
                ? (ActivitySource.CustomApi, $"{context.MessageName}{Outputs(context.OutputParameters)}")
                : run.Step.PluginTypeName == GateType
                    ? (ActivitySource.Gate, $"Gate on {context.MessageName} of {context.PrimaryEntityName}")
                    : (ActivitySource.PlugIn, $"{run.Step.PluginTypeName.Split('.').Last()} on {context.MessageName} of {context.PrimaryEntityName}");
            _log.Add(correlation, source, run.Succeeded ? text : $"{text}: failed: {run.Error}", verification, messageId: message);
            foreach (var line in run.TraceLines)
            {
                _log.Add(correlation, source == ActivitySource.Gate ? ActivitySource.Gate : ActivitySource.Trace, line, verification);
            }
        }

        private static bool ChangedSomething(string trace) =>
            trace.Contains(" refreshed: ", StringComparison.Ordinal) && !trace.EndsWith("still in progress.", StringComparison.Ordinal);

        private static string Outputs(ParameterCollection outputs)
        {
            var shown = ShownOutputs.Where(outputs.Contains).Select(name => $"{name} {Format(outputs[name])}").ToList();
            return shown.Count == 0 ? "" : ": " + string.Join(", ", shown);
        }

        private static string Format(object? value) => value switch
        {
            null => "(none)",
            bool flag => flag ? "yes" : "no",
            string text when text.Length == 0 => "(none)",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        /// <summary>A path with every id-like segment masked: session ids name bearer links, so they never show.</summary>
        internal static string Masked(string path) =>
            string.Join('/', path.Split('/').Select(segment => IdSegment.IsMatch(segment) ? "{id}" : segment));

        private sealed class ObservedCallsHandler(ActivityRecorder recorder, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var entra = OneKosmos.Sandbox.EntraVerifiedId.EntraSimulatorHandler.IsMicrosoftHost(request.RequestUri!);
                var service = entra ? "Microsoft Entra" : "1Kosmos";
                var source = entra ? ActivitySource.Entra : ActivitySource.BlockId;
                var correlation = recorder._dataverse.RunningCorrelationId?.ToString() ?? service;
                var what = $"{service} {request.Method} {Masked(request.RequestUri!.AbsolutePath)}";
                var clock = Stopwatch.StartNew();
                try
                {
                    var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    recorder._log.Add(correlation, source, $"{what} → {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
                    return response;
                }
                catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
                {
                    recorder._log.Add(correlation, source, $"{what} → no answer ({exception.GetType().Name}) after {clock.ElapsedMilliseconds} ms");
                    throw;
                }
            }
        }
    }
}
