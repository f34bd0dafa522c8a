using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>The one registry of message handlers: the platform's own messages and any a caller adds.</summary>
    internal sealed class MessageHandlers
    {
        private readonly Dictionary<string, IMessageHandler> _handlers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Create"] = new CreateHandler(),
            ["Retrieve"] = new RetrieveHandler(),
            ["Update"] = new UpdateHandler(),
            ["Delete"] = new DeleteHandler(),
            ["Associate"] = RelationshipHandler.Associate,
            ["Disassociate"] = RelationshipHandler.Disassociate,
            ["Upsert"] = new UpsertHandler(),
            ["RetrieveMultiple"] = new RetrieveMultipleHandler(),
            ["ExecuteMultiple"] = new ExecuteMultipleHandler(),
            ["Win"] = new WinHandler(),
            ["QualifyLead"] = new QualifyLeadHandler(),
            ["RetrievePrincipalAccess"] = new RetrievePrincipalAccessHandler(),
            ["SendEmail"] = new SendEmailHandler(),
        };

        public void Register(string messageName, Func<OrganizationRequest, OrganizationResponse> handler, string? executePrivilege)
        {
            if (_handlers.ContainsKey(messageName))
            {
                throw new ArgumentException($"The message {messageName} already has a handler.", nameof(messageName));
            }
            _handlers.Add(messageName, new CustomMessageHandler(messageName, handler, executePrivilege));
        }

        /// <exception cref="ArgumentException">A message of that name already exists.</exception>
        public void Register(CustomApiHandler api)
        {
            if (_handlers.ContainsKey(api.Definition.UniqueName))
            {
                throw new ArgumentException($"The message {api.Definition.UniqueName} already has a handler.", nameof(api));
            }
            _handlers.Add(api.Definition.UniqueName, api);
        }

        /// <summary>A custom API an import brings, new or changed: its definition replaces an earlier one of the same name.</summary>
        /// <exception cref="ArgumentException">A platform message has that name.</exception>
        public void Import(CustomApiHandler api)
        {
            if (_handlers.TryGetValue(api.Definition.UniqueName, out var existing) && existing is not CustomApiHandler)
            {
                throw new ArgumentException($"The custom API {api.Definition.UniqueName} has the name of a platform message.", nameof(api));
            }
            _handlers[api.Definition.UniqueName] = api;
        }

        /// <summary>Adds one of the platform's own messages (the deployment messages of an empty environment).</summary>
        public void Add(string messageName, IMessageHandler handler) => _handlers.Add(messageName, handler);

        public IMessageHandler? Find(string messageName) => _handlers.TryGetValue(messageName, out var handler) ? handler : null;

        public IMessageHandler For(string messageName) =>
            _handlers.TryGetValue(messageName, out var handler)
                ? handler
                : throw new NotSupportedException(
                    $"The in-memory Dataverse has no handler for the {messageName} message. Register one with InMemoryDataverse.RegisterMessage(\"{messageName}\", …).");

        private sealed class CustomMessageHandler : IMessageHandler
        {
            private readonly string _messageName;
            private readonly Func<OrganizationRequest, OrganizationResponse> _handler;
            private readonly string? _executePrivilege;

            public CustomMessageHandler(string messageName, Func<OrganizationRequest, OrganizationResponse> handler, string? executePrivilege)
            {
                _messageName = messageName;
                _handler = handler;
                _executePrivilege = executePrivilege;
            }

            public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
            {
                if (_executePrivilege is not null)
                {
                    context.Access.DemandExecute(context.CallerId, _executePrivilege);
                }
                var response = _handler(request) ?? new OrganizationResponse();
                response.ResponseName ??= _messageName;
                return response;
            }
        }
    }
}
