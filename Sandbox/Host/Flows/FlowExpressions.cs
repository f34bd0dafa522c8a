using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace OneKosmos.Sandbox.Host.Flows
{
    /// <summary>
    /// The part of the workflow definition language the product's flows use
    /// (learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference): a value starting with @ is an
    /// expression, @{…} inside text is interpolated, @@ escapes an @. Functions: triggerOutputs, triggerBody, outputs, body,
    /// actions, parameters, equals, not, and, or, if, greater, less, concat, string, toLower, int, coalesce, empty, first, utcNow; accessors ?['name'] and
    /// ['name'], where a name with slashes (body/okos_status) walks a path, as Power Automate writes them.
    /// </summary>
    internal sealed class FlowExpressions
    {
        private readonly Func<string, JsonNode?> _call;

        /// <param name="call">Answers the functions bound to the run: triggerOutputs, triggerBody, outputs('x'), body('x'), actions('x'), parameters('x'), utcNow.</param>
        public FlowExpressions(Func<string, JsonNode?> call)
        {
            _call = call;
        }

        /// <summary>A definition value with its expressions evaluated: objects and arrays member by member.</summary>
        public JsonNode? Evaluate(JsonNode? value) => value switch
        {
            JsonObject members => new JsonObject(members.Select(member => KeyValuePair.Create(member.Key, Evaluate(member.Value)))),
            JsonArray items => new JsonArray(items.Select(Evaluate).ToArray()),
            JsonValue text when text.TryGetValue<string>(out var s) => Text(s),
            _ => value?.DeepClone(),
        };

        private JsonNode? Text(string text)
        {
            if (text.StartsWith("@@", StringComparison.Ordinal))
            {
                return JsonValue.Create(text[1..]);
            }
            if (text.StartsWith('@') && !text.StartsWith("@{", StringComparison.Ordinal))
            {
                return new Parser(text[1..], this).Whole();
            }
            if (!text.Contains("@{", StringComparison.Ordinal))
            {
                return JsonValue.Create(text);
            }
            var result = new StringBuilder();
            var at = 0;
            while (text.IndexOf("@{", at, StringComparison.Ordinal) is var start and >= 0)
            {
                var end = text.IndexOf('}', start);
                if (end < 0)
                {
                    throw new FlowException($"'{text}' opens @{{ without closing it.");
                }
                result.Append(text, at, start - at).Append(AsText(new Parser(text[(start + 2)..end], this).Whole()));
                at = end + 1;
            }
            return JsonValue.Create(result.Append(text, at, text.Length - at).ToString());
        }

        public static string AsText(JsonNode? value) => value switch
        {
            null => "",
            JsonValue scalar when scalar.TryGetValue<string>(out var text) => text,
            _ => value.ToJsonString(),
        };

        /// <summary>A number as parsed JSON holds it, readable as any numeric type (an int parameter, a decimal column), as a flow's own literals are.</summary>
        private static JsonNode NumberNode(decimal number) => JsonNode.Parse(number.ToString(CultureInfo.InvariantCulture))!;

        public static bool IsTrue(JsonNode? value) => value is JsonValue scalar && scalar.TryGetValue<bool>(out var flag) && flag;

        public static bool AreEqual(JsonNode? left, JsonNode? right) =>
            (left, right) switch
            {
                (null, null) => true,
                (null, _) or (_, null) => false,
                _ when Number(left) is { } l && Number(right) is { } r => l == r,
                _ => string.Equals(AsText(left), AsText(right), StringComparison.OrdinalIgnoreCase) && left.GetValueKind() == right.GetValueKind(),
            };

        public static decimal? Number(JsonNode? value) =>
            value is JsonValue scalar && scalar.GetValueKind() == System.Text.Json.JsonValueKind.Number ? scalar.GetValue<decimal>() : null;

        private JsonNode? Apply(string function, List<JsonNode?> arguments)
        {
            JsonNode? Only() => arguments.Count == 1 ? arguments[0] : throw new FlowException($"{function}() takes one argument.");
            return function switch
            {
                "equals" when arguments.Count == 2 => JsonValue.Create(AreEqual(arguments[0], arguments[1])),
                "not" => JsonValue.Create(!IsTrue(Only())),
                "and" => JsonValue.Create(arguments.All(IsTrue)),
                "or" => JsonValue.Create(arguments.Any(IsTrue)),
                "greater" when arguments.Count == 2 => JsonValue.Create(Number(arguments[0]) > Number(arguments[1])),
                "less" when arguments.Count == 2 => JsonValue.Create(Number(arguments[0]) < Number(arguments[1])),
                "if" when arguments.Count == 3 => (IsTrue(arguments[0]) ? arguments[1] : arguments[2])?.DeepClone(),
                "first" => Only() switch { JsonArray items => items.FirstOrDefault()?.DeepClone(), null => null, var text => JsonValue.Create(AsText(text)[..Math.Min(1, AsText(text).Length)]) },
                "toLower" => JsonValue.Create(AsText(Only()).ToLowerInvariant()),
                "concat" => JsonValue.Create(string.Concat(arguments.Select(AsText))),
                "string" => JsonValue.Create(AsText(Only())),
                "int" => NumberNode(int.Parse(AsText(Only()), CultureInfo.InvariantCulture)),
                "coalesce" => arguments.FirstOrDefault(argument => argument is not null)?.DeepClone(),
                "empty" => JsonValue.Create(Only() switch { null => true, JsonArray items => items.Count == 0, JsonObject members => members.Count == 0, var other => AsText(other).Length == 0 }),
                "triggerOutputs" or "triggerBody" or "utcNow" when arguments.Count == 0 => _call(function),
                "outputs" or "body" or "parameters" or "actions" => _call($"{function}:{AsText(Only())}"),
                _ => throw new FlowException($"The sandbox's flow runner does not evaluate {function}() with {arguments.Count} argument(s)."),
            };
        }

        /// <summary>Reads one expression: a literal or a function call, with accessors after either.</summary>
        private sealed class Parser(string text, FlowExpressions expressions)
        {
            private int _at;

            public JsonNode? Whole()
            {
                var value = Value();
                Skip();
                // A value read out of an object still belongs to it: the caller gets its own copy to place elsewhere.
                return _at == text.Length ? value?.DeepClone() : throw new FlowException($"The expression '{text}' has more after position {_at}.");
            }

            private JsonNode? Value()
            {
                Skip();
                JsonNode? value;
                if (Peek('\''))
                {
                    value = JsonValue.Create(Quoted());
                }
                else if (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '-'))
                {
                    var start = _at++;
                    while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
                    {
                        _at++;
                    }
                    value = NumberNode(decimal.Parse(text[start.._at], CultureInfo.InvariantCulture));
                }
                else
                {
                    var start = _at;
                    while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
                    {
                        _at++;
                    }
                    var name = text[start.._at];
                    if (name.Length == 0)
                    {
                        throw new FlowException($"The expression '{text}' has no value at position {start}.");
                    }
                    value = name switch
                    {
                        "true" when !Peek('(') => JsonValue.Create(true),
                        "false" when !Peek('(') => JsonValue.Create(false),
                        "null" when !Peek('(') => null,
                        _ => expressions.Apply(name, Arguments()),
                    };
                }
                return Accessors(value);
            }

            private List<JsonNode?> Arguments()
            {
                Expect('(');
                var arguments = new List<JsonNode?>();
                Skip();
                if (Peek(')'))
                {
                    _at++;
                    return arguments;
                }
                while (true)
                {
                    arguments.Add(Value());
                    Skip();
                    if (Peek(')'))
                    {
                        _at++;
                        return arguments;
                    }
                    Expect(',');
                }
            }

            private JsonNode? Accessors(JsonNode? value)
            {
                while (true)
                {
                    Skip();
                    if (Peek('?'))
                    {
                        _at++;
                    }
                    if (!Peek('['))
                    {
                        return value;
                    }
                    _at++;
                    Skip();
                    var key = Quoted();
                    Skip();
                    Expect(']');
                    foreach (var part in key.Split('/'))
                    {
                        value = value is JsonObject members && members.TryGetPropertyValue(part, out var member) ? member : null;
                    }
                }
            }

            private string Quoted()
            {
                Expect('\'');
                var result = new StringBuilder();
                while (true)
                {
                    if (_at >= text.Length)
                    {
                        throw new FlowException($"The expression '{text}' has an unclosed string.");
                    }
                    if (text[_at] == '\'')
                    {
                        if (_at + 1 < text.Length && text[_at + 1] == '\'')
                        {
                            result.Append('\'');
                            _at += 2;
                            continue;
                        }
                        _at++;
                        return result.ToString();
                    }
                    result.Append(text[_at++]);
                }
            }

            private bool Peek(char c) => _at < text.Length && text[_at] == c;

            private void Expect(char c)
            {
                Skip();
                if (!Peek(c))
                {
                    throw new FlowException($"The expression '{text}' expects '{c}' at position {_at}.");
                }
                _at++;
            }

            private void Skip()
            {
                while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                {
                    _at++;
                }
            }
        }
    }

    /// <summary>A flow the sandbox cannot run as written: the message says what and where.</summary>
    public sealed class FlowException(string message) : Exception(message);
}
