/** `data-*` attributes (test hooks such as `data-testid`) are valid on every element and component. */
import 'vue';

declare module 'vue' {
  interface HTMLAttributes {
    [key: `data-${string}`]: unknown;
  }
  interface SVGAttributes {
    [key: `data-${string}`]: unknown;
  }
  interface AllowedComponentProps {
    [key: `data${string}`]: unknown;
  }
}
