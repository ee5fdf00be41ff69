"""Finance's review queue: a random sample of automatically approved gestures, each marked
"looks fine" or given a concern. Inline with htmx; the same forms post without JavaScript."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Access, capability_required
from portal.errors import ApplicationError, Conflict, NotPermitted
from portal.forms import focus_first_error
from portal.paging import back_to_list, page_of
from programs.empowerment.forms import ConcernForm
from programs.empowerment.models import GestureReview, ReviewStatus
from programs.empowerment.selectors.reviews import review_for, reviews_done, reviews_to_do
from programs.empowerment.services.reviews import complete_review

# The service lets finance, and only finance, complete a review.
can_review = capability_required(Access.can_review_gestures)


@dataclass
class Row:
    review: GestureReview
    concern_form: ConcernForm
    next_url: str
    problem: str = ""


@can_review
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    done_tab = request.GET.get("show") == "done"
    to_do = reviews_to_do()
    context: dict = {"done_tab": done_tab, "list_url": request.path}
    if done_tab:
        context |= {"page": page_of(request, reviews_done()), "to_do_count": to_do.count()}
    else:
        page = page_of(request, to_do)
        next_url = request.get_full_path()
        context |= {
            "page": page,
            "rows": [_row(review, next_url=next_url) for review in page],
            "to_do_count": page.paginator.count,
        }
    return render(request, "empowerment/reviews.html", context)


@can_review
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(request.user, pk)
    return _render_detail(request, _row(review, next_url=reverse("empowerment:reviews")))


@can_review
@require_POST
def looks_fine(request: HttpRequest, pk: int) -> HttpResponse:
    return _complete(request, pk, concern=False)


@can_review
@require_POST
def raise_concern(request: HttpRequest, pk: int) -> HttpResponse:
    return _complete(request, pk, concern=True)


def _row(review: GestureReview, *, next_url: str, problem: str = "") -> Row:
    concern_form = ConcernForm(auto_id=f"id_concern_{review.pk}_%s")
    return Row(review=review, concern_form=concern_form, next_url=next_url, problem=problem)


def _complete(request: HttpRequest, pk: int, *, concern: bool) -> HttpResponse:
    review = review_for(request.user, pk)
    next_url = back_to_list(request, reverse("empowerment:reviews"))
    form = ConcernForm(request.POST, auto_id=f"id_concern_{pk}_%s") if concern else None
    problem = ""
    if form is None or form.is_valid():
        note = form.cleaned_data["note"] if form is not None else ""
        try:
            done = complete_review(review=review, actor=request.user, concern=concern, note=note)
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except Conflict as error:
            problem = error.message
        except ApplicationError as error:
            if form is None:
                problem = error.message
            else:
                form.show_error(error)
        else:
            return _completed(request, review, done, next_url=next_url)
    # Refused: the row again, as it now stands, with what was typed.
    row = _row(review_for(request.user, pk), next_url=next_url, problem=problem)
    if form is not None:
        focus_first_error(form)
        row.concern_form = form
    if request.htmx:
        return render(request, "empowerment/partials/review_card.html", {"row": row})
    return _render_detail(request, row, status=409 if problem else 200)


def _completed(
    request: HttpRequest, review: GestureReview, done: GestureReview, *, next_url: str
) -> HttpResponse:
    gesture = review.gesture
    label = f"{gesture.agent.name}’s {gesture.category.name.lower()} for {gesture.customer_ref}"
    if done.status == ReviewStatus.CONCERN:
        notice = f"Concern raised about {label}."
    else:
        notice = f"Marked as fine: {label}."
    if not request.htmx:
        messages.success(request, notice)
        return redirect(next_url)
    return render(
        request,
        "empowerment/partials/review_done.html",
        {"review": done, "notice": notice, "to_do_count": reviews_to_do().count()},
    )


def _render_detail(request: HttpRequest, row: Row, *, status: int = 200) -> HttpResponse:
    return render(request, "empowerment/review_detail.html", {"row": row}, status=status)
