using System;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// The face crop of a verified document, held in memory only while it is handed to Microsoft Entra Verified ID for the
    /// person's own wallet (docs/design.md §1 rule 3 is about what we keep: this is never stored, traced or logged).
    /// </summary>
    public sealed class FacePhoto
    {
        private readonly byte[] _image;

        private FacePhoto(byte[] image)
        {
            _image = image;
        }

        /// <value>The largest photo a credential may carry (Entra: 1 MB).</value>
        public const int MaxBytes = 1024 * 1024;

        /// <returns>Null when the text is not base64 (1Kosmos sent no usable crop) or the image is over <see cref="MaxBytes"/>.</returns>
        public static FacePhoto? FromBase64(string? base64)
        {
            if (string.IsNullOrWhiteSpace(base64))
            {
                return null;
            }
            try
            {
                var image = Convert.FromBase64String(base64!.Trim());
                return image.Length is > 0 and <= MaxBytes ? new FacePhoto(image) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>The photo claim's value: base64url, as the credential's display type image/jpg;base64url says.</summary>
        public string ToBase64Url() => Convert.ToBase64String(_image).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public override string ToString() => $"[face photo, {_image.Length} bytes]";
    }
}
