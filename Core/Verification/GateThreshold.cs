using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OneKosmos.Core.Verification
{
    /// <summary>A numeric condition on the gated record, such as <c>estimatedvalue &gt;= 100000</c>: only records that meet it are gated.</summary>
    public sealed class GateThreshold
    {
        private static readonly Regex Shape = new(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$", RegexOptions.CultureInvariant);

        private GateThreshold(string column, string comparison, decimal value)
        {
            Column = column;
            Comparison = comparison;
            Value = value;
        }

        public string Column { get; }

        public string Comparison { get; }

        public decimal Value { get; }

        /// <exception cref="FormatException">The text is not "column operator number".</exception>
        public static GateThreshold Parse(string text)
        {
            var match = Shape.Match(text ?? "");
            if (!match.Success)
            {
                throw new FormatException($"the threshold '{text}' is not of the form \"column >= number\" (operators >=, >, <=, <, ==, !=)");
            }
            return new GateThreshold(match.Groups[1].Value.ToLowerInvariant(), match.Groups[2].Value, decimal.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        /// <remarks>A record with no value in the column counts as 0.</remarks>
        public bool IsMetBy(decimal? value)
        {
            var actual = value ?? 0m;
            return Comparison switch
            {
                ">=" => actual >= Value,
                ">" => actual > Value,
                "<=" => actual <= Value,
                "<" => actual < Value,
                "!=" => actual != Value,
                _ => actual == Value,
            };
        }

        public override string ToString() => $"{Column} {Comparison} {Value.ToString(CultureInfo.InvariantCulture)}";
    }
}
