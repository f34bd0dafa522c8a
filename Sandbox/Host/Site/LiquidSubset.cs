using System;
using System.Net;
using System.Text.RegularExpressions;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>
    /// The Liquid the product's web template uses, and nothing more: comment, raw, "if user … else … endif" and
    /// {{ user.id }}. Anything else left in a template is refused, so the template cannot grow Liquid the sandbox would
    /// silently skip.
    /// </summary>
    public static class LiquidSubset
    {
        private static readonly Regex Raw = new(@"{%-?\s*raw\s*-?%}(?<body>.*?){%-?\s*endraw\s*-?%}", RegexOptions.Singleline);
        private static readonly Regex Comment = new(@"{%-?\s*comment\s*-?%}.*?{%-?\s*endcomment\s*-?%}", RegexOptions.Singleline);
        private static readonly Regex IfUser = new(@"{%-?\s*if\s+user\s*-?%}(?<then>.*?)(?:{%-?\s*else\s*-?%}(?<else>.*?))?{%-?\s*endif\s*-?%}", RegexOptions.Singleline);
        private static readonly Regex UserId = new(@"{{-?\s*user\.id\s*-?}}");

        /// <param name="template">The web template's source.</param>
        /// <param name="userId">The signed-in user's contact id; null when nobody is signed in.</param>
        /// <exception cref="NotSupportedException">The template uses Liquid beyond this subset.</exception>
        public static string Render(string template, Guid? userId)
        {
            var raws = new System.Collections.Generic.List<string>();
            var text = Raw.Replace(template, match =>
            {
                raws.Add(match.Groups["body"].Value);
                return $"\u0001{raws.Count - 1}\u0001";
            });
            text = Comment.Replace(text, "");
            text = IfUser.Replace(text, match => userId is null ? match.Groups["else"].Value : match.Groups["then"].Value);
            text = UserId.Replace(text, _ => WebUtility.HtmlEncode(userId?.ToString() ?? ""));
            if (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal))
            {
                throw new NotSupportedException("The web template uses Liquid the sandbox's site does not render (it knows comment, raw, if user, user.id).");
            }
            return Regex.Replace(text, "\u0001(\\d+)\u0001", match => raws[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }
}
