// jsdom has no scrolling; the router scrolls to the top on navigation. (The e2e suite runs in node.)
if (typeof window !== "undefined") window.scrollTo = () => undefined
