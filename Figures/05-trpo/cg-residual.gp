# Conjugate gradient on the real Fisher: residual ‖g − (F + λI)x_k‖ / ‖g‖
# Render from this directory: gnuplot cg-residual.gp  (writes cg-residual.png)
if (!exists("outfile")) outfile = 'cg-residual.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Conjugate gradient on the real Fisher: residual ‖g − (F + λI)x_k‖ / ‖g‖'
set xlabel 'CG iteration'
set ylabel 'relative residual'
set key bottom left box opaque
set grid
set logscale y
set format y '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'cg-residual.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'update 1', \
     'cg-residual.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'update 4', \
     'cg-residual.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'update 7', \
     'cg-residual.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'update 10'
