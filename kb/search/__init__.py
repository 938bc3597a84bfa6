"""Query → plan → rank → group → page: everything that answers a reader.

``results.results_page`` builds the page of results that the web page, ``/api/search`` and
``kb search`` all show."""
