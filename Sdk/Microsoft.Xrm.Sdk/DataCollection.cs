using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Microsoft.Xrm.Sdk
{
    public class DataCollection<T> : Collection<T>
    {
        internal DataCollection()
        {
        }

        internal DataCollection(IList<T> list)
            : base(list)
        {
        }

        public void AddRange(params T[] items) => AddRange((IEnumerable<T>)items);

        public void AddRange(IEnumerable<T> items)
        {
            if (items == null)
            {
                return;
            }
            foreach (var item in items)
            {
                Add(item);
            }
        }

        public T[] ToArray() => this.ToArray<T>();
    }
}
